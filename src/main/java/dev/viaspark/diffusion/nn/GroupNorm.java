package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.weights.Weights;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code torch.nn.GroupNorm} on NCHW. DJL has no group norm, so this is the fused layer norm over
 * the {@code [N, groups, C/groups*H*W]} view (with unit gain, zero shift) followed by the
 * per-channel affine.
 */
public final class GroupNorm {
  final NDArray weight;
  final NDArray bias;
  private final NDArray weight4d;
  private final NDArray bias4d;
  private final int groups;
  private final int channels;
  private final float eps;

  /**
   * Unit gains and zero shifts for the inner layer norm, per normalised size (which depends on
   * H*W).
   */
  private final Map<Long, NDArray[]> identity = new ConcurrentHashMap<>();

  public GroupNorm(Weights w, int groups, int channels, float eps) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(
          w.path() + ": " + channels + " channels do not split into " + groups + " groups");
    }
    this.weight = w.get("weight", channels);
    this.bias = w.get("bias", channels);
    this.weight4d = weight.reshape(1, channels, 1, 1);
    this.bias4d = bias.reshape(1, channels, 1, 1);
    this.groups = groups;
    this.channels = channels;
    this.eps = eps;
  }

  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long inner = s.size() / s.get(0) / groups;
    NDArray[] unit =
        identity.computeIfAbsent(
            inner,
            n -> {
              NDArray ones = weight.getManager().ones(new Shape(n), weight.getDataType());
              NDArray zeros = weight.getManager().zeros(new Shape(n), weight.getDataType());
              NDScope.unregister(ones, zeros);
              return new NDArray[] {ones, zeros};
            });
    NDArray grouped = x.reshape(s.get(0), groups, inner);
    // qualified: DJL's LayerNorm, not ours
    NDArray normed =
        ai.djl.nn.norm.LayerNorm.layerNorm(grouped, new Shape(inner), unit[0], unit[1], eps)
            .singletonOrThrow()
            .reshape(s);
    return normed.muli(weight4d).addi(bias4d);
  }

  public int channels() {
    return channels;
  }
}
