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
 * diffusers' {@code UpBlock2D}: resnets over [hidden, skip] without attention, then (except last)
 * an upsampler.
 */
final class UpBlock2D implements UpBlock {
  final ResnetBlock2D[] resnets;
  final Upsample2D upsampler;

  /** Channels as for {@link CrossAttnUpBlock2D}. */
  UpBlock2D(Weights w, UNetConfig cfg, int in, int out, int prevOut, boolean last) {
    int layers = cfg.layersPerBlock() + 1;
    resnets = new ResnetBlock2D[layers];
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
    }
    upsampler = last ? null : new Upsample2D(w.child("upsamplers").child(0), out);
  }

  @Override
  public NDArray forward(
      NDArray x, NDArray temb, NDArray context, AttentionContext ctx, List<NDArray> skips) {
    for (ResnetBlock2D resnet : resnets) {
      NDArray skip = skips.remove(skips.size() - 1);
      x = resnet.forward(NDArrays.concat(new NDList(x, skip), 1), temb);
    }
    if (upsampler != null) {
      NDArray next = skips.get(skips.size() - 1);
      x = upsampler.forward(x, next.getShape().get(2), next.getShape().get(3));
    }
    return x;
  }
}
