package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.nn.ResnetBlock2D;
import dev.viaspark.diffusion.weights.Weights;

/** diffusers' {@code UNetMidBlock2DCrossAttn}: resnet, transformer, resnet. */
final class UNetMidBlock2DCrossAttn {
  final ResnetBlock2D[] resnets = new ResnetBlock2D[2];
  final Transformer2DModel[] attentions = new Transformer2DModel[1];

  UNetMidBlock2DCrossAttn(Weights w, UNetConfig cfg) {
    int[] blocks = cfg.blockOutChannels();
    int c = blocks[blocks.length - 1];
    int last = blocks.length - 1;
    for (int i = 0; i < 2; i++) {
      resnets[i] =
          new ResnetBlock2D(
              w.child("resnets").child(i),
              c,
              c,
              cfg.timeEmbedDim(),
              cfg.normNumGroups(),
              cfg.normEps(),
              cfg.midBlockScaleFactor());
    }
    attentions[0] =
        new Transformer2DModel(
            w.child("attentions").child(0),
            c,
            cfg.heads()[last],
            cfg.transformerLayers()[last],
            cfg.crossAttentionDim(),
            cfg.normNumGroups(),
            cfg.useLinearProjection());
  }

  NDArray forward(NDArray x, NDArray temb, NDArray context, AttentionContext ctx) {
    x = resnets[0].forward(x, temb);
    x = attentions[0].forward(x, context, ctx);
    return resnets[1].forward(x, temb);
  }
}
