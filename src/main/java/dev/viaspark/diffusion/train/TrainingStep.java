package dev.viaspark.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.viaspark.diffusion.nn.Backprop;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One optimisation step through the engine's own model classes: the loss is computed under DJL's
 * gradient collector, back-propagated, the optimizer updates every parameter in place (with
 * gradients off, as PyTorch's optimizers do) and the gradients are reset for the next step. Every
 * array the step creates is freed when it ends, whatever manager the loss was computed on, so
 * memory stays flat over any number of steps.
 */
public final class TrainingStep {
  private TrainingStep() {}

  /** {@link #run(Map, Adam, float, float, Supplier)} without gradient clipping. */
  public static float run(
      Map<String, NDArray> parameters, Adam optimizer, float lr, Supplier<NDArray> loss) {
    return run(parameters, optimizer, lr, 0, loss);
  }

  /**
   * @param parameters the trainable tensors by name (each with a gradient attached)
   * @param maxGradNorm the gradients are scaled down together when their global L2 norm exceeds
   *     this (0: never)
   * @param loss computes a scalar loss from the current parameters
   * @return the loss before the update; when it or the gradients are not finite, nothing is updated
   *     (the step is skipped, as mixed-precision trainers skip overflowing steps) and NaN is
   *     returned, so that the caller sees the skip even where the loss itself was finite
   */
  public static float run(
      Map<String, NDArray> parameters,
      Adam optimizer,
      float lr,
      float maxGradNorm,
      Supplier<NDArray> loss) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector();
        NDScope scope = new NDScope()) {
      NDArray l = Backprop.during(loss);
      float value = l.getFloat();
      boolean finite;
      collector.backward(l);
      JniUtils.setGradMode(false);
      try {
        // handles on the parameters' own .grad: zeroed in place after use, since DJL's collector
        // accumulates across
        // steps like PyTorch; closing a handle leaves the gradient buffer to its parameter
        Map<String, NDArray> grads = new LinkedHashMap<>();
        double squares = 0;
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
          NDArray grad = p.getValue().getGradient();
          grads.put(p.getKey(), grad);
          squares += grad.square().sum().getFloat();
        }
        double norm = Math.sqrt(squares);
        finite = Float.isFinite(value) && Double.isFinite(norm);
        float scale = maxGradNorm > 0 && norm > maxGradNorm ? (float) (maxGradNorm / norm) : 1f;
        for (Map.Entry<String, NDArray> g : grads.entrySet()) {
          NDArray grad = g.getValue();
          if (finite) {
            if (scale < 1f) grad.muli(scale);
            optimizer.update(g.getKey(), parameters.get(g.getKey()), grad, lr);
          }
          if (finite) grad.subi(grad);
          else grad.set(new NDIndex("..."), 0f); // x - x is NaN where x is
          grad.close();
        }
      } finally {
        JniUtils.setGradMode(true);
      }
      return finite ? value : Float.NaN;
    }
  }

  /**
   * Runs {@code work} with gradient recording off (encoding through a frozen model, for instance).
   */
  public static <T> T withoutGradients(Supplier<T> work) {
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(true);
    }
  }

  /**
   * Builds a model with gradients on, so that what its constructor derives from the parameters
   * stays connected.
   */
  public static <T> T building(Supplier<T> construct) {
    try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
      return construct.get();
    }
  }
}
