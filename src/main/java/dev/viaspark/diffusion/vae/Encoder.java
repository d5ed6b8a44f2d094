package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.Activations;
import dev.viaspark.diffusion.nn.Conv2d;
import dev.viaspark.diffusion.nn.GroupNorm;
import dev.viaspark.diffusion.weights.Weights;
import java.util.function.BiConsumer;

/**
 * diffusers' VAE {@code Encoder}: conv_in, down blocks (halving the size in all but the last), mid
 * block, GroupNorm + SiLU + conv_out to 2 x latent_channels (the posterior's mean and
 * log-variance).
 */
public final class Encoder {
  private final String path;
  final Conv2d convIn;
  final DownEncoderBlock2D[] downBlocks;
  final UNetMidBlock2D midBlock;
  final GroupNorm convNormOut;
  final Conv2d convOut;

  public Encoder(Weights w, VaeConfig cfg) {
    path = w.path();
    int[] blocks = cfg.blockOutChannels();
    int last = blocks[blocks.length - 1];
    convIn = new Conv2d(w.child("conv_in"), cfg.inChannels(), blocks[0], 3, 1, 1);
    downBlocks = new DownEncoderBlock2D[blocks.length];
    int in = blocks[0];
    for (int i = 0; i < blocks.length; i++) {
      downBlocks[i] =
          new DownEncoderBlock2D(
              w.child("down_blocks").child(i), in, blocks[i], i < blocks.length - 1, cfg);
      in = blocks[i];
    }
    midBlock = new UNetMidBlock2D(w.child("mid_block"), last, cfg);
    convNormOut = new GroupNorm(w.child("conv_norm_out"), cfg.normNumGroups(), last, cfg.normEps());
    convOut = new Conv2d(w.child("conv_out"), last, 2 * cfg.latentChannels(), 3, 1, 1);
  }

  /**
   * @param image [batch, in_channels, H, W]
   * @param probe sees each submodule's output by its module path ({@code encoder.down_blocks.0},
   *     ...)
   */
  public NDArray forward(NDArray image, BiConsumer<String, NDArray> probe) {
    Chain chain = new Chain(path, image, probe).then("conv_in", convIn::forward);
    for (int i = 0; i < downBlocks.length; i++)
      chain.then("down_blocks." + i, downBlocks[i]::forward);
    return chain
        .then("mid_block", midBlock::forward)
        .then("conv_out", h -> convOut.forward(Activations.silu(convNormOut.forward(h))))
        .result();
  }
}
