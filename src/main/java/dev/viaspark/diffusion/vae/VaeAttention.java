package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.ScaledDotProductAttention;
import dev.viaspark.diffusion.nn.GroupNorm;
import dev.viaspark.diffusion.nn.Linear;
import dev.viaspark.diffusion.weights.Weights;

/**
 * The VAE mid-block's diffusers {@code Attention}: GroupNorm, then single-head self-attention over
 * all C channels of the H*W positions (q/k/v/out with bias, scale C^-0.5), plus the input.
 * Checkpoints name the projections either {@code to_q/to_k/to_v/to_out.0} or, from the older {@code
 * AttentionBlock}, {@code query/key/value/proj_attn}.
 */
public final class VaeAttention {
  private record Names(String query, String key, String value, String out) {}

  private static final Names CURRENT = new Names("to_q", "to_k", "to_v", "to_out.0");
  private static final Names LEGACY = new Names("query", "key", "value", "proj_attn");

  /**
   * Queries per chunk: bounds the score matrix to 2048 x H*W (a 1024x1024 image has 16384 positions
   * here).
   */
  private static final int QUERY_CHUNK = 2048;

  final GroupNorm groupNorm;
  final Linear toQ;
  final Linear toK;
  final Linear toV;
  final Linear toOut;
  private final float scale;

  public VaeAttention(Weights w, int channels, int groups, float eps) {
    Names names = w.has(LEGACY.query + ".weight") ? LEGACY : CURRENT;
    groupNorm = new GroupNorm(w.child("group_norm"), groups, channels, eps);
    toQ = projection(w, names.query, channels);
    toK = projection(w, names.key, channels);
    toV = projection(w, names.value, channels);
    toOut = projection(w, names.out, channels);
    scale = (float) (1 / Math.sqrt(channels));
  }

  private static Linear projection(Weights w, String name, int channels) {
    return new Linear(w.child(name), channels, channels, true);
  }

  /**
   * @param x [batch, C, H, W]
   */
  public NDArray forward(NDArray x) {
    Shape s = x.getShape();
    NDArray tokens = groupNorm.forward(x).reshape(s.get(0), s.get(1), -1).transpose(0, 2, 1);
    NDArray attended =
        ScaledDotProductAttention.compute(
                toQ.forward(tokens).expandDims(1),
                toK.forward(tokens).expandDims(1),
                toV.forward(tokens).expandDims(1),
                scale,
                null,
                QUERY_CHUNK)
            .squeeze(1);
    return toOut.forward(attended).transpose(0, 2, 1).reshape(s).addi(x);
  }
}
