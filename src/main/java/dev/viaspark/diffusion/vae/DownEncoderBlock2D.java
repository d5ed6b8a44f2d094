package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.Downsample2D;
import dev.viaspark.diffusion.nn.ResnetBlock2D;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code DownEncoderBlock2D}: resnets, then (except in the last block) a downsampler
 * padded right/bottom.
 */
public final class DownEncoderBlock2D {
  final ResnetBlock2D[] resnets;
  final Downsample2D downsampler;

  public DownEncoderBlock2D(Weights w, int in, int out, boolean addDownsample, VaeConfig cfg) {
    resnets = new ResnetBlock2D[cfg.layersPerBlock()];
    for (int i = 0; i < resnets.length; i++) {
      resnets[i] =
          new ResnetBlock2D(
              w.child("resnets").child(i),
              i == 0 ? in : out,
              out,
              0,
              cfg.normNumGroups(),
              cfg.normEps(),
              1f);
    }
    downsampler = addDownsample ? new Downsample2D(w.child("downsamplers").child(0), out, 0) : null;
  }

  public NDArray forward(NDArray x) {
    Chain chain = new Chain(x);
    for (ResnetBlock2D resnet : resnets) chain.then(h -> resnet.forward(h, null));
    if (downsampler != null) chain.then(downsampler::forward);
    return chain.result();
  }
}
