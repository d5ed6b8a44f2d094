package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.ResnetBlock2D;
import dev.viaspark.diffusion.nn.Upsample2D;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code UpDecoderBlock2D}: layers_per_block + 1 resnets, then (except in the last
 * block) a 2x upsampler.
 */
public final class UpDecoderBlock2D {
  final ResnetBlock2D[] resnets;
  final Upsample2D upsampler;

  public UpDecoderBlock2D(Weights w, int in, int out, boolean addUpsample, VaeConfig cfg) {
    resnets = new ResnetBlock2D[cfg.layersPerBlock() + 1];
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
    upsampler = addUpsample ? new Upsample2D(w.child("upsamplers").child(0), out) : null;
  }

  public NDArray forward(NDArray x) {
    Chain chain = new Chain(x);
    for (ResnetBlock2D resnet : resnets) chain.then(h -> resnet.forward(h, null));
    if (upsampler != null) chain.then(h -> upsampler.forward(h, 0, 0));
    return chain.result();
  }
}
