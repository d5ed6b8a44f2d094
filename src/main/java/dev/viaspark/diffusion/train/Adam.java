package dev.viaspark.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba), updating parameters in place, with optional decoupled weight decay (AdamW).
 * Written on NDArray ops rather than DJL's optimizer so that its state lives beside the parameters
 * it belongs to and is released with {@link #close()}.
 */
public final class Adam implements AutoCloseable {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final Map<String, NDArray[]> moments = new HashMap<>();
  private final Map<String, Integer> steps = new HashMap<>();

  public Adam(float beta1, float beta2, float epsilon, float weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  /** The usual defaults: betas 0.9 / 0.999, epsilon 1e-8, no weight decay. */
  public static Adam defaults() {
    return new Adam(0.9f, 0.999f, 1e-8f, 0f);
  }

  /** Applies one update of {@code name} with learning rate {@code lr}; call with gradients off. */
  public void update(String name, NDArray weight, NDArray grad, float lr) {
    NDArray[] mv =
        moments.computeIfAbsent(
            name,
            k -> {
              NDArray[] zeros = {weight.zerosLike(), weight.zerosLike()};
              NDScope.unregister(zeros); // the optimizer's state outlives the step that creates it
              return zeros;
            });
    int t = steps.merge(name, 1, Integer::sum);
    float stepSize = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    try (NDArray scaled = grad.mul(1 - beta1);
        NDArray squared = grad.square()) {
      mv[0].muli(beta1).addi(scaled);
      mv[1].muli(beta2).addi(squared.muli(1 - beta2));
    }
    if (weightDecay > 0) weight.muli(1 - lr * weightDecay);
    try (NDArray denominator = mv[1].sqrt().addi(epsilon);
        NDArray step = mv[0].div(denominator).muli(stepSize)) {
      weight.subi(step);
    }
  }

  /**
   * Adds the optimizer's state to {@code writer}: each parameter's first and second moments ({@code
   * m/NAME}, {@code v/NAME}, float32) and update count ({@code t/NAME}), so that a restored
   * optimizer continues exactly.
   */
  public void save(SafetensorsWriter writer) {
    for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
      long[] shape = e.getValue()[0].getShape().getShape();
      writer.addFloats("m/" + e.getKey(), "F32", shape, e.getValue()[0].toFloatArray());
      writer.addFloats("v/" + e.getKey(), "F32", shape, e.getValue()[1].toFloatArray());
      writer.addLongs("t/" + e.getKey(), new long[] {1}, new long[] {steps.get(e.getKey())});
    }
  }

  /**
   * Takes the state {@link #save} wrote, replacing any this optimizer has; arrays are made on
   * {@code manager}.
   */
  public void restore(SafetensorsFile file, NDManager manager) {
    close();
    steps.clear();
    for (String key : file.tensors().keySet()) {
      if (!key.startsWith("t/")) continue;
      String name = key.substring(2);
      Shape shape = new Shape(file.entry("m/" + name).shape());
      NDArray m = OwnedArrays.of(manager, file.floats("m/" + name), shape);
      NDArray v = OwnedArrays.of(manager, file.floats("v/" + name), shape);
      moments.put(name, new NDArray[] {m, v});
      steps.put(name, Math.toIntExact(file.longs(key)[0]));
    }
  }

  @Override
  public void close() {
    for (NDArray[] mv : moments.values()) {
      mv[0].close();
      mv[1].close();
    }
    moments.clear();
  }
}
