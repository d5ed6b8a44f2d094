package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.Scalars;

/** What an attention layer's queries attend to, as its hook sees them (for maps and losses). */
public final class AttentionProbabilities {
  private AttentionProbabilities() {}

  /**
   * {@code softmax(q k^T / sqrt(d))} per head, averaged over the heads.
   *
   * @param q [B, queries, inner], the projected queries before the head split
   * @param k [B, keys, inner]
   * @return [B, queries, keys]; safe to train through (see {@link Scalars})
   */
  public static NDArray meanOverHeads(NDArray q, NDArray k, int heads) {
    Shape qs = q.getShape(), ks = k.getShape();
    long b = qs.get(0), d = qs.get(2) / heads;
    NDArray qh = q.reshape(b, qs.get(1), heads, d).transpose(0, 2, 1, 3);
    NDArray kh = k.reshape(b, ks.get(1), heads, d).transpose(0, 2, 3, 1);
    return Scalars.mul(qh.matMul(kh), (float) (1 / Math.sqrt(d))).softmax(-1).mean(new int[] {1});
  }
}
