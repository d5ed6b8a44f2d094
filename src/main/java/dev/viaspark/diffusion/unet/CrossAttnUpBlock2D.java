package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.nn.ResnetBlock2D;
import dev.viaspark.diffusion.nn.Upsample2D;
import dev.viaspark.diffusion.weights.Weights;
import java.util.List;

/**
 * diffusers' {@code CrossAttnUpBlock2D}: resnets over [hidden, skip], each followed by a
 * transformer, then an upsampler.
 */
final class CrossAttnUpBlock2D implements UpBlock {
  final ResnetBlock2D[] resnets;
  final Transformer2DModel[] attentions;
  final Upsample2D upsampler;

  /**
   * @param block index among the up blocks; per-block settings come from the reversed down-block
   *     lists
   * @param in the channels of the matching down block's input (the last skip's channels)
   * @param prevOut the channels coming from the block below
   */
  CrossAttnUpBlock2D(
      Weights w, UNetConfig cfg, int block, int in, int out, int prevOut, boolean last) {
    int layers = cfg.layersPerBlock() + 1;
    int reversed = cfg.blockOutChannels().length - 1 - block;
    resnets = new ResnetBlock2D[layers];
    attentions = new Transformer2DModel[layers];
    for (int i = 0; i < layers; i++) {
      int skip = i == layers - 1 ? in : out;
      int resIn = i == 0 ? prevOut : out;
      resnets[i] =
          new ResnetBlock2D(
              w.child("resnets").child(i),
              resIn + skip,
              out,
              cfg.timeEmbedDim(),
              cfg.normNumGroups(),
              cfg.normEps(),
              1f);
      attentions[i] =
          new Transformer2DModel(
              w.child("attentions").child(i),
              out,
              cfg.heads()[reversed],
              cfg.transformerLayers()[reversed],
              cfg.crossAttentionDim(),
              cfg.normNumGroups(),
              cfg.useLinearProjection());
    }
    upsampler = last ? null : new Upsample2D(w.child("upsamplers").child(0), out);
  }

  @Override
  public NDArray forward(
      NDArray x, NDArray temb, NDArray context, AttentionContext ctx, List<NDArray> skips) {
    for (int i = 0; i < resnets.length; i++) {
      NDArray skip = skips.remove(skips.size() - 1);
      x = resnets[i].forward(NDArrays.concat(new NDList(x, skip), 1), temb);
      x = attentions[i].forward(x, context, ctx);
    }
    if (upsampler != null) {
      NDArray next = skips.get(skips.size() - 1);
      x = upsampler.forward(x, next.getShape().get(2), next.getShape().get(3));
    }
    return x;
  }
}
