package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.train.TrainingStep;
import dev.viaspark.diffusion.weights.TensorSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A tensor source that makes every tensor a model loads a trainable parameter: the engine's model
 * classes are built from it unchanged, and the parameters they hold, by checkpoint key, get
 * gradients under DJL's GradientCollector. Build the model with gradients on ({@link
 * TrainingStep#building}), so tensors the constructors derive from the parameters (reshaped views)
 * stay connected to them.
 */
public final class TrainableTensors implements TensorSource {
  private final TensorSource source;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();

  public TrainableTensors(TensorSource source) {
    this.source = source;
  }

  @Override
  public String describe() {
    return source.describe();
  }

  @Override
  public long[] shape(String name, long[] expected) {
    return source.shape(name, expected);
  }

  @Override
  public NDArray load(String name, long[] shape, NDManager manager, DataType dtype) {
    // a copy: checkpoint tensors may be views of a read-only memory-mapped file, and training
    // writes in place
    NDArray stored = source.load(name, shape, manager, dtype);
    NDArray p = stored.duplicate();
    stored.close();
    p.setRequiresGradient(true);
    parameters.put(name, p);
    return p;
  }

  @Override
  public Set<String> names() {
    return source.names();
  }

  /** The parameters loaded so far, by checkpoint key, in load order. */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  @Override
  public void close() {
    source.close();
  }
}
