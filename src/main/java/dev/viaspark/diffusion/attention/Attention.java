package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.Linear;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code Attention} as the UNet's transformer blocks use it: {@code to_q}, {@code to_k},
 * {@code to_v} (no bias), {@code to_out.0} (with bias). Self-attention when no context is given.
 * The hook sees q/k/v and may replace k/v, and may bring low-rank adapters for the four
 * projections; the scale is {@code headDim^-0.5}.
 */
public final class Attention {
  final Linear toQ;
  final Linear toK;
  final Linear toV;
  final Linear toOut;
  private final String path;
  private final int heads;
  private final int headDim;
  private final float scale;

  public Attention(Weights w, int queryDim, int contextDim, int heads, int headDim) {
    int inner = heads * headDim;
    this.path = w.path();
    this.heads = heads;
    this.headDim = headDim;
    this.scale = (float) (1 / Math.sqrt(headDim));
    this.toQ = new Linear(w.child("to_q"), queryDim, inner, false);
    this.toK = new Linear(w.child("to_k"), contextDim, inner, false);
    this.toV = new Linear(w.child("to_v"), contextDim, inner, false);
    this.toOut = new Linear(w.child("to_out").child(0), inner, queryDim, true);
  }

  /**
   * @param context the cross-attention tokens [batch, tokens, contextDim], or null for
   *     self-attention
   */
  public NDArray forward(NDArray hidden, NDArray context, AttentionContext ctx) {
    boolean self = context == null;
    NDArray source = self ? hidden : context;
    LoraAdapter lora = ctx.hook().adapter();
    NDArray q = project(toQ, "to_q", hidden, lora);
    NDArray k = project(toK, "to_k", source, lora);
    NDArray v = project(toV, "to_v", source, lora);
    KeyValue replaced = ctx.hook().apply(ctx.call(path, self, heads), q, k, v);
    if (replaced != null) {
      k = replaced.key();
      v = replaced.value();
    }
    NDArray out =
        ScaledDotProductAttention.compute(
            splitHeads(q), splitHeads(k), splitHeads(v), scale, null, ctx.queryChunk());
    return project(toOut, "to_out.0", mergeHeads(out), lora);
  }

  private NDArray project(Linear projection, String name, NDArray x, LoraAdapter lora) {
    NDArray y = projection.forward(x);
    return lora == null ? y : lora.adapt(path, name, x, y);
  }

  public String path() {
    return path;
  }

  public int heads() {
    return heads;
  }

  private NDArray splitHeads(NDArray x) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, headDim).transpose(0, 2, 1, 3);
  }

  private static NDArray mergeHeads(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
  }
}
