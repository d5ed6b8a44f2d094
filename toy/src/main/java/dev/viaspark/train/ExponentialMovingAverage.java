package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of parameters, the weights diffusion models are usually sampled
 * with: the last steps' noise averages out, which a short run at a high learning rate needs most.
 * The decay warms up as diffusers' {@code EMAModel} does, {@code min(decay, (1 + n) / (10 + n))}
 * after n updates, so early averages do not drag the random initialisation along.
 */
public final class ExponentialMovingAverage implements AutoCloseable {
  private final float decay;
  private final Map<String, NDArray> average = new LinkedHashMap<>();
  private long updates;

  public ExponentialMovingAverage(float decay) {
    this.decay = decay;
  }

  /** Folds the current parameters in; call with gradients off. */
  public void update(Map<String, NDArray> parameters) {
    float d = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      NDArray a = average.get(p.getKey());
      if (a == null) {
        a = p.getValue().duplicate();
        NDScope.unregister(a);
        average.put(p.getKey(), a);
      } else {
        try (NDArray weighted = p.getValue().mul(1 - d)) {
          a.muli(d).addi(weighted);
        }
      }
    }
    updates++;
  }

  /** The averaged parameters by name (empty before the first update). */
  public Map<String, NDArray> average() {
    return average;
  }

  public long updates() {
    return updates;
  }

  /**
   * The average {@code write} stored under the parameters' names, after {@code updates} updates.
   */
  public void restore(SafetensorsFile file, long updates, NDManager manager) {
    close();
    for (String name : file.tensors().keySet()) {
      average.put(
          name, OwnedArrays.of(manager, file.floats(name), new Shape(file.entry(name).shape())));
    }
    this.updates = updates;
  }

  @Override
  public void close() {
    average.values().forEach(NDArray::close);
    average.clear();
  }
}
