package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/** NDArray bookkeeping shared by the schedulers' {@code step} methods. */
final class StepArrays {
  private StepArrays() {}

  /**
   * Runs {@code body} so that every intermediate array it creates is closed on return, except the
   * two outputs, which are handed to the caller's {@link NDScope} if one is open (as if the caller
   * had done the ops itself).
   */
  static StepOutput keepOnlyOutput(Supplier<StepOutput> body) {
    StepOutput out;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      out = body.get();
      NDScope.unregister(out.prevSample(), out.predOriginalSample());
    }
    NDScope.register(out.prevSample());
    NDScope.register(out.predOriginalSample());
    return out;
  }

  /**
   * One draw shaped like {@code like}, in its dtype and on its device (diffusers'
   * randn_tensor(shape, dtype)).
   */
  static NDArray noiseLike(NoiseSource noise, NDArray like) {
    NDArray drawn = noise.next(like.getManager(), like.getShape());
    if (!drawn.getShape().equals(like.getShape())) {
      throw new IllegalStateException(
          "the noise source returned shape "
              + drawn.getShape()
              + " for a request of "
              + like.getShape());
    }
    NDArray onDevice =
        drawn.getDevice().equals(like.getDevice())
            ? drawn
            : drawn.toDevice(like.getDevice(), false);
    return onDevice.toType(like.getDataType(), false);
  }
}
