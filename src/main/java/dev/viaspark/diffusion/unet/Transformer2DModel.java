package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.nn.Conv2d;
import dev.viaspark.diffusion.nn.GroupNorm;
import dev.viaspark.diffusion.nn.Linear;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code Transformer2DModel} on a feature map: GroupNorm (eps 1e-6), {@code proj_in}
 * (1x1 conv, or a linear layer with {@code use_linear_projection}), transformer blocks over the H*W
 * tokens (row-major), {@code proj_out}, plus the input.
 */
public final class Transformer2DModel {
  final GroupNorm norm;
  final Conv2d projInConv;
  final Linear projInLinear;
  final BasicTransformerBlock[] transformerBlocks;
  final Conv2d projOutConv;
  final Linear projOutLinear;

  public Transformer2DModel(
      Weights w,
      int channels,
      int heads,
      int layers,
      int crossDim,
      int groups,
      boolean linearProjection) {
    int headDim = channels / heads;
    int inner = heads * headDim;
    norm = new GroupNorm(w.child("norm"), groups, channels, 1e-6f);
    projInConv = linearProjection ? null : new Conv2d(w.child("proj_in"), channels, inner, 1, 1, 0);
    projInLinear = linearProjection ? new Linear(w.child("proj_in"), channels, inner, true) : null;
    transformerBlocks = new BasicTransformerBlock[layers];
    for (int i = 0; i < layers; i++) {
      transformerBlocks[i] =
          new BasicTransformerBlock(
              w.child("transformer_blocks").child(i), inner, heads, headDim, crossDim);
    }
    projOutConv =
        linearProjection ? null : new Conv2d(w.child("proj_out"), inner, channels, 1, 1, 0);
    projOutLinear =
        linearProjection ? new Linear(w.child("proj_out"), inner, channels, true) : null;
  }

  public NDArray forward(NDArray x, NDArray context, AttentionContext ctx) {
    Shape s = x.getShape();
    long b = s.get(0), h = s.get(2), wd = s.get(3);
    NDArray hidden = norm.forward(x);
    NDArray tokens;
    if (projInConv != null) {
      hidden = projInConv.forward(hidden);
      tokens = toTokens(hidden);
    } else {
      tokens = projInLinear.forward(toTokens(hidden));
    }
    for (BasicTransformerBlock block : transformerBlocks)
      tokens = block.forward(tokens, context, ctx);
    NDArray out;
    if (projOutConv != null) {
      out = projOutConv.forward(toMap(tokens, b, h, wd));
    } else {
      out = toMap(projOutLinear.forward(tokens), b, h, wd);
    }
    return out.addi(x);
  }

  private static NDArray toTokens(NDArray map) {
    Shape s = map.getShape();
    return map.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
  }

  private static NDArray toMap(NDArray tokens, long b, long h, long w) {
    return tokens.transpose(0, 2, 1).reshape(b, tokens.getShape().get(2), h, w);
  }
}
