package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.nn.Downsample2D;
import dev.viaspark.diffusion.nn.ResnetBlock2D;
import dev.viaspark.diffusion.weights.Weights;
import java.util.List;

/**
 * diffusers' {@code CrossAttnDownBlock2D}: resnets, each followed by a transformer, then (except
 * last) a downsampler.
 */
final class CrossAttnDownBlock2D implements DownBlock {
  final ResnetBlock2D[] resnets;
  final Transformer2DModel[] attentions;
  final Downsample2D downsampler;

  CrossAttnDownBlock2D(Weights w, UNetConfig cfg, int block, int in, int out, boolean last) {
    int layers = cfg.layersPerBlock();
    resnets = new ResnetBlock2D[layers];
    attentions = new Transformer2DModel[layers];
    for (int i = 0; i < layers; i++) {
      resnets[i] =
          new ResnetBlock2D(
              w.child("resnets").child(i),
              i == 0 ? in : out,
              out,
              cfg.timeEmbedDim(),
              cfg.normNumGroups(),
              cfg.normEps(),
              1f);
      attentions[i] =
          new Transformer2DModel(
              w.child("attentions").child(i),
              out,
              cfg.heads()[block],
              cfg.transformerLayers()[block],
              cfg.crossAttentionDim(),
              cfg.normNumGroups(),
              cfg.useLinearProjection());
    }
    downsampler =
        last
            ? null
            : new Downsample2D(w.child("downsamplers").child(0), out, cfg.downsamplePadding());
  }

  @Override
  public NDArray forward(
      NDArray x, NDArray temb, NDArray context, AttentionContext ctx, List<NDArray> skips) {
    for (int i = 0; i < resnets.length; i++) {
      x = resnets[i].forward(x, temb);
      x = attentions[i].forward(x, context, ctx);
      skips.add(x);
    }
    if (downsampler != null) {
      x = downsampler.forward(x);
      skips.add(x);
    }
    return x;
  }
}
