package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.ResnetBlock2D;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE uses it: resnets.0, attentions.0, resnets.1, no time
 * embedding.
 */
public final class UNetMidBlock2D {
  final ResnetBlock2D resnet0;
  final VaeAttention attention;
  final ResnetBlock2D resnet1;

  public UNetMidBlock2D(Weights w, int channels, VaeConfig cfg) {
    Weights resnets = w.child("resnets");
    resnet0 =
        new ResnetBlock2D(
            resnets.child(0), channels, channels, 0, cfg.normNumGroups(), cfg.normEps(), 1f);
    attention =
        new VaeAttention(
            w.child("attentions").child(0), channels, cfg.normNumGroups(), cfg.normEps());
    resnet1 =
        new ResnetBlock2D(
            resnets.child(1), channels, channels, 0, cfg.normNumGroups(), cfg.normEps(), 1f);
  }

  public NDArray forward(NDArray x) {
    return new Chain(x)
        .then(h -> resnet0.forward(h, null))
        .then(attention::forward)
        .then(h -> resnet1.forward(h, null))
        .result();
  }
}
