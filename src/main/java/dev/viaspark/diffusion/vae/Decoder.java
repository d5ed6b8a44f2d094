package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.Activations;
import dev.viaspark.diffusion.nn.Conv2d;
import dev.viaspark.diffusion.nn.GroupNorm;
import dev.viaspark.diffusion.weights.Weights;
import java.util.function.BiConsumer;

/**
 * diffusers' VAE {@code Decoder}: conv_in, mid block, up blocks over the reversed
 * block_out_channels (doubling the size in all but the last), GroupNorm + SiLU + conv_out to
 * out_channels.
 */
public final class Decoder {
  private final String path;
  final Conv2d convIn;
  final UNetMidBlock2D midBlock;
  final UpDecoderBlock2D[] upBlocks;
  final GroupNorm convNormOut;
  final Conv2d convOut;

  public Decoder(Weights w, VaeConfig cfg) {
    path = w.path();
    int[] blocks = cfg.blockOutChannels();
    int n = blocks.length;
    convIn = new Conv2d(w.child("conv_in"), cfg.latentChannels(), blocks[n - 1], 3, 1, 1);
    midBlock = new UNetMidBlock2D(w.child("mid_block"), blocks[n - 1], cfg);
    upBlocks = new UpDecoderBlock2D[n];
    int in = blocks[n - 1];
    for (int i = 0; i < n; i++) {
      int out = blocks[n - 1 - i];
      upBlocks[i] = new UpDecoderBlock2D(w.child("up_blocks").child(i), in, out, i < n - 1, cfg);
      in = out;
    }
    convNormOut =
        new GroupNorm(w.child("conv_norm_out"), cfg.normNumGroups(), blocks[0], cfg.normEps());
    convOut = new Conv2d(w.child("conv_out"), blocks[0], cfg.outChannels(), 3, 1, 1);
  }

  /**
   * @param z [batch, latent_channels, h, w], after post_quant_conv
   * @param probe sees each submodule's output by its module path ({@code decoder.up_blocks.0}, ...)
   */
  public NDArray forward(NDArray z, BiConsumer<String, NDArray> probe) {
    Chain chain =
        new Chain(path, z, probe)
            .then("conv_in", convIn::forward)
            .then("mid_block", midBlock::forward);
    for (int i = 0; i < upBlocks.length; i++) chain.then("up_blocks." + i, upBlocks[i]::forward);
    return chain
        .then("conv_out", h -> convOut.forward(Activations.silu(convNormOut.forward(h))))
        .result();
  }
}
