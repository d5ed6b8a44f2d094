package dev.viaspark.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.ScaledDotProductAttention;
import dev.viaspark.diffusion.nn.Linear;
import dev.viaspark.diffusion.weights.Weights;

/**
 * transformers' {@code CLIPAttention}: multi-head self-attention, all projections with bias, scale
 * head_dim^-0.5.
 */
public final class ClipAttention {
  final Linear qProj;
  final Linear kProj;
  final Linear vProj;
  final Linear outProj;
  private final int heads;
  private final int headDim;
  private final float scale;

  public ClipAttention(Weights w, ClipTextConfig cfg) {
    int hidden = cfg.hiddenSize();
    heads = cfg.numAttentionHeads();
    headDim = cfg.headDim();
    scale = (float) (1 / Math.sqrt(headDim));
    qProj = new Linear(w.child("q_proj"), hidden, hidden, true);
    kProj = new Linear(w.child("k_proj"), hidden, hidden, true);
    vProj = new Linear(w.child("v_proj"), hidden, hidden, true);
    outProj = new Linear(w.child("out_proj"), hidden, hidden, true);
  }

  /**
   * @param x [batch, tokens, hidden]
   * @param mask additive [tokens, tokens] (the causal mask)
   */
  public NDArray forward(NDArray x, NDArray mask) {
    NDArray attended =
        ScaledDotProductAttention.compute(
            splitHeads(qProj.forward(x)),
            splitHeads(kProj.forward(x)),
            splitHeads(vProj.forward(x)),
            scale,
            mask,
            0);
    Shape s = attended.getShape();
    return outProj.forward(
        attended.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), (long) heads * headDim));
  }

  private NDArray splitHeads(NDArray x) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, headDim).transpose(0, 2, 1, 3);
  }
}
