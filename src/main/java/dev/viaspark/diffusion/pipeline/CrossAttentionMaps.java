package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionCall;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.AttentionProbabilities;
import dev.viaspark.diffusion.attention.GuidanceBranch;
import dev.viaspark.diffusion.attention.KeyValue;
import dev.viaspark.diffusion.nn.OwnedArrays;

/**
 * Records, during one UNet call, how much each latent of the instructed branch attends to some of
 * its instruction's tokens: per cross-attention layer the attention probabilities (mean over heads)
 * summed over the chosen tokens, brought to the latents' size and summed over layers. It changes
 * nothing in the call.
 */
final class CrossAttentionMaps implements AttentionHook {
  private final float[] selector;
  private final int tokens;
  private final long height;
  private final long width;
  private NDArray sum;

  /**
   * @param positions per image, the token positions whose attention counts
   * @param tokens the instruction's token count (the text encoder's length)
   * @param height the latents' height
   * @param width the latents' width
   */
  CrossAttentionMaps(int[][] positions, int tokens, long height, long width) {
    this.tokens = tokens;
    this.height = height;
    this.width = width;
    selector = new float[positions.length * tokens];
    for (int b = 0; b < positions.length; b++) {
      for (int p : positions[b]) selector[b * tokens + p] = 1f;
    }
  }

  @Override
  public KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
    if (call.selfAttention() || k.getShape().get(1) != tokens) return null;
    int batch = call.batchPerBranch();
    int first = call.branches().indexOf(GuidanceBranch.TEXT_IMAGE) * batch;
    long hw = q.getShape().get(1);
    // the layer's grid: the latents halved (rounding up, as the UNet's strided convolutions do)
    // until it has as many cells as the layer has queries
    long factor = 1, h = height, w = width;
    while (h * w > hw) {
      factor *= 2;
      h = (height + factor - 1) / factor;
      w = (width + factor - 1) / factor;
    }
    if (h * w != hw) return null;
    NDIndex rows = new NDIndex("{}:{}", first, first + batch);
    NDManager m = q.getManager();
    NDArray chosen =
        OwnedArrays.of(m, selector, new Shape(batch, tokens, 1)).toType(q.getDataType(), false);
    NDArray map =
        AttentionProbabilities.meanOverHeads(q.get(rows), k.get(rows), call.heads())
            .matMul(chosen)
            .reshape(batch, 1, h, w)
            .repeat(2, factor)
            .repeat(3, factor)
            .get(new NDIndex(":, :, :{}, :{}", height, width));
    sum = sum == null ? map : sum.add(map);
    return null;
  }

  /** The maps summed since the last take, [B, 1, h, w]; null when no layer was seen. */
  NDArray take() {
    NDArray out = sum;
    sum = null;
    return out;
  }
}
