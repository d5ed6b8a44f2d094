package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.weights.Weights;

/** {@code torch.nn.LayerNorm} over the last axis, with {@code weight} and {@code bias}. */
public final class LayerNorm {
  final NDArray weight;
  final NDArray bias;
  private final Shape normalized;
  private final float eps;

  public LayerNorm(Weights w, int dim, float eps) {
    this.weight = w.get("weight", dim);
    this.bias = w.get("bias", dim);
    this.normalized = new Shape(dim);
    this.eps = eps;
  }

  public NDArray forward(NDArray x) {
    // qualified: DJL's LayerNorm, not this class
    return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight, bias, eps).singletonOrThrow();
  }
}
