package dev.viaspark.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One optimisation step through the engine's own model classes: the loss is computed under DJL's gradient collector,
 * back-propagated, the optimizer updates every parameter in place (with gradients off, as PyTorch's optimizers do)
 * and the gradients are reset for the next step.
 */
public final class TrainingStep {
  private TrainingStep() {}

  /**
   * @param parameters the trainable tensors by name ({@link TrainableTensors#parameters()})
   * @param loss computes a scalar loss from the current parameters
   * @return the loss before the update
   */
  public static float run(Map<String, NDArray> parameters, Adam optimizer, float lr, Supplier<NDArray> loss) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray l = loss.get();
      float value = l.getFloat();
      collector.backward(l);
      JniUtils.setGradMode(false);
      try {
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
          // the gradient handle is the parameter's own .grad: zeroed (DJL's collector accumulates across steps,
          // like PyTorch), never closed (that frees the buffer the next backward writes into)
          NDArray grad = p.getValue().getGradient();
          optimizer.update(p.getKey(), p.getValue(), grad, lr);
          grad.subi(grad);
        }
      } finally {
        JniUtils.setGradMode(true);
      }
      return value;
    }
  }

  /** Builds a model with gradients on, so that what its constructor derives from the parameters stays connected. */
  public static <T> T building(Supplier<T> construct) {
    try (GradientCollector ignored = Engine.getInstance().newGradientCollector()) {
      return construct.get();
    }
  }
}
