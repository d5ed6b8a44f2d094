package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.weights.Weights;

/**
 * {@code torch.nn.Linear}: {@code weight} [out, in], optional {@code bias} [out]; applies to the
 * last axis.
 */
public final class Linear {
  final NDArray weight;
  final NDArray bias;
  public final int in;
  public final int out;

  public Linear(Weights w, int in, int out, boolean bias) {
    this.in = in;
    this.out = out;
    this.weight = w.get("weight", out, in);
    this.bias = bias ? w.get("bias", out) : null;
  }

  public NDArray forward(NDArray x) {
    // qualified: DJL's Linear, not this class
    return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
  }
}
