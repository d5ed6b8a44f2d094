package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.viaspark.diffusion.nn.Scalars;

/**
 * {@code softmax(q k^T * scale + mask) v} on [batch, heads, tokens, headDim], from primitive ops
 * (DJL has no fused attention). Queries are processed in chunks so the score matrix never exceeds
 * {@code chunk x keys} per head: every query row's softmax is independent of the others, so
 * chunking does not change the result.
 */
public final class ScaledDotProductAttention {
  private ScaledDotProductAttention() {}

  /**
   * @param mask additive mask broadcastable to [batch, heads, queries, keys] (e.g. CLIP's causal
   *     mask), or null
   * @param chunk queries per chunk; 0 or more than the query count computes all at once
   */
  public static NDArray compute(
      NDArray q, NDArray k, NDArray v, float scale, NDArray mask, int chunk) {
    long queries = q.getShape().get(2);
    // scaling q costs headDim/keys of scaling the scores
    q = Scalars.mul(q, scale);
    NDArray kt = k.transpose(0, 1, 3, 2);
    if (chunk <= 0 || chunk >= queries) return attend(q, kt, v, mask);
    NDList parts = new NDList();
    for (long start = 0; start < queries; start += chunk) {
      long end = Math.min(queries, start + chunk);
      NDIndex rows = new NDIndex(":, :, {}:{}", start, end);
      NDArray maskRows =
          mask == null
              ? null
              : mask.getShape().get(mask.getShape().dimension() - 2) == 1
                  ? mask
                  : mask.get(new NDIndex("..., {}:{}, :", start, end));
      NDArray qRows = q.get(rows);
      parts.add(attend(qRows, kt, v, maskRows));
      qRows.close();
    }
    NDArray out = NDArrays.concat(parts, 2);
    parts.close();
    return out;
  }

  /**
   * Frees the score and probability matrices as soon as they are used: they are by far the largest
   * intermediates (chunk x keys per head), and a step's scope would otherwise keep those of every
   * attention layer until it ends (over 16 GB for SD 1.5 at 512x512).
   */
  private static NDArray attend(NDArray q, NDArray kt, NDArray v, NDArray mask) {
    NDArray scores = q.matMul(kt);
    if (mask != null) scores.addi(mask);
    NDArray probs = scores.softmax(-1);
    scores.close();
    NDArray out = probs.matMul(v);
    probs.close();
    return out;
  }
}
