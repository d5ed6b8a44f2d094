package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.nn.Downsample2D;
import dev.viaspark.diffusion.nn.ResnetBlock2D;
import dev.viaspark.diffusion.weights.Weights;
import java.util.List;

/**
 * diffusers' {@code DownBlock2D}: resnets without attention, then (except in the last block) a
 * downsampler.
 */
final class DownBlock2D implements DownBlock {
  final ResnetBlock2D[] resnets;
  final Downsample2D downsampler;

  DownBlock2D(Weights w, UNetConfig cfg, int in, int out, boolean last) {
    resnets = new ResnetBlock2D[cfg.layersPerBlock()];
    for (int i = 0; i < resnets.length; i++) {
      resnets[i] =
          new ResnetBlock2D(
              w.child("resnets").child(i),
              i == 0 ? in : out,
              out,
              cfg.timeEmbedDim(),
              cfg.normNumGroups(),
              cfg.normEps(),
              1f);
    }
    downsampler =
        last
            ? null
            : new Downsample2D(w.child("downsamplers").child(0), out, cfg.downsamplePadding());
  }

  @Override
  public NDArray forward(
      NDArray x, NDArray temb, NDArray context, AttentionContext ctx, List<NDArray> skips) {
    for (ResnetBlock2D resnet : resnets) {
      x = resnet.forward(x, temb);
      skips.add(x);
    }
    if (downsampler != null) {
      x = downsampler.forward(x);
      skips.add(x);
    }
    return x;
  }
}
