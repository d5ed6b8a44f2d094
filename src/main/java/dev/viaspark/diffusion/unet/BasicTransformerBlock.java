package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.Attention;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.nn.LayerNorm;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code BasicTransformerBlock}: pre-LN self-attention, cross-attention on the text,
 * GEGLU feed-forward.
 */
public final class BasicTransformerBlock {
  final LayerNorm norm1;
  final Attention attn1;
  final LayerNorm norm2;
  final Attention attn2;
  final LayerNorm norm3;
  final FeedForward ff;

  public BasicTransformerBlock(Weights w, int dim, int heads, int headDim, int crossDim) {
    norm1 = new LayerNorm(w.child("norm1"), dim, 1e-5f);
    attn1 = new Attention(w.child("attn1"), dim, dim, heads, headDim);
    norm2 = new LayerNorm(w.child("norm2"), dim, 1e-5f);
    attn2 = new Attention(w.child("attn2"), dim, crossDim, heads, headDim);
    norm3 = new LayerNorm(w.child("norm3"), dim, 1e-5f);
    ff = new FeedForward(w.child("ff"), dim);
  }

  public NDArray forward(NDArray x, NDArray context, AttentionContext ctx) {
    x = attn1.forward(norm1.forward(x), null, ctx).addi(x);
    x = attn2.forward(norm2.forward(x), context, ctx).addi(x);
    return ff.forward(norm3.forward(x)).addi(x);
  }
}
