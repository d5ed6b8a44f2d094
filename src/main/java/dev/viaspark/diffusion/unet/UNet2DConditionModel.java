package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.nn.Activations;
import dev.viaspark.diffusion.nn.Conv2d;
import dev.viaspark.diffusion.nn.GroupNorm;
import dev.viaspark.diffusion.weights.ComponentFiles;
import dev.viaspark.diffusion.weights.TensorSource;
import dev.viaspark.diffusion.weights.WeightLoading;
import dev.viaspark.diffusion.weights.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UNet2DConditionModel} for SD 1.x / InstructPix2Pix: the noise predictor, built
 * from its {@code config.json}. Every field path is the checkpoint key ({@code
 * down_blocks.0.attentions.0...}).
 */
public final class UNet2DConditionModel {
  private final UNetConfig config;
  final Timesteps timeProj;
  final TimestepEmbedding timeEmbedding;
  final Conv2d convIn;
  final DownBlock[] downBlocks;
  final UNetMidBlock2DCrossAttn midBlock;
  final UpBlock[] upBlocks;
  final GroupNorm convNormOut;
  final Conv2d convOut;

  public UNet2DConditionModel(
      UNetConfig cfg, TensorSource source, NDManager manager, DataType dtype) {
    this.config = cfg;
    WeightLoading loading = new WeightLoading("unet", source, manager, dtype);
    Weights w = loading.root();
    int[] blocks = cfg.blockOutChannels();
    int c0 = blocks[0];
    timeProj = new Timesteps(c0, cfg.flipSinToCos(), cfg.freqShift());
    timeEmbedding = new TimestepEmbedding(w.child("time_embedding"), c0, cfg.timeEmbedDim());
    convIn = new Conv2d(w.child("conv_in"), cfg.inChannels(), c0, 3, 1, 1);
    downBlocks = new DownBlock[blocks.length];
    int out = c0;
    for (int i = 0; i < blocks.length; i++) {
      int in = out;
      out = blocks[i];
      Weights block = w.child("down_blocks").child(i);
      boolean last = i == blocks.length - 1;
      downBlocks[i] =
          cfg.downBlockTypes()[i].equals("CrossAttnDownBlock2D")
              ? new CrossAttnDownBlock2D(block, cfg, i, in, out, last)
              : new DownBlock2D(block, cfg, in, out, last);
    }
    midBlock = new UNetMidBlock2DCrossAttn(w.child("mid_block"), cfg);
    upBlocks = new UpBlock[blocks.length];
    int prevOut = blocks[blocks.length - 1];
    for (int i = 0; i < blocks.length; i++) {
      int upOut = blocks[blocks.length - 1 - i];
      int upIn = blocks[Math.max(0, blocks.length - 2 - i)];
      Weights block = w.child("up_blocks").child(i);
      boolean last = i == blocks.length - 1;
      upBlocks[i] =
          cfg.upBlockTypes()[i].equals("CrossAttnUpBlock2D")
              ? new CrossAttnUpBlock2D(block, cfg, i, upIn, upOut, prevOut, last)
              : new UpBlock2D(block, cfg, upIn, upOut, prevOut, last);
      prevOut = upOut;
    }
    convNormOut = new GroupNorm(w.child("conv_norm_out"), cfg.normNumGroups(), c0, cfg.normEps());
    convOut = new Conv2d(w.child("conv_out"), c0, cfg.outChannels(), 3, 1, 1);
    loading.finish(name -> false);
  }

  /** Loads {@code unet/} of a diffusers checkpoint. */
  public static UNet2DConditionModel load(Path componentDir, NDManager manager, DataType dtype) {
    UNetConfig cfg = UNetConfig.read(componentDir.resolve("config.json"));
    return ComponentFiles.build(
        componentDir, source -> new UNet2DConditionModel(cfg, source, manager, dtype));
  }

  public UNetConfig config() {
    return config;
  }

  /**
   * @param sample [batch, in_channels, h, w]
   * @param timestep a 0-d or [batch] tensor (float or int64); broadcast to the batch
   * @param context the text tokens [batch, 77, cross_attention_dim]
   */
  public NDArray forward(NDArray sample, NDArray timestep, NDArray context, AttentionContext ctx) {
    return forward(sample, timestep, context, ctx, null);
  }

  /**
   * As {@link #forward}, also reporting the intermediate outputs to {@code probe} (for parity
   * tests).
   */
  public NDArray forward(
      NDArray sample, NDArray timestep, NDArray context, AttentionContext ctx, Probe probe) {
    long batch = sample.getShape().get(0);
    NDArray t =
        timestep.getShape().isScalar() || timestep.size() == 1
            ? timestep.reshape(1).broadcast(new Shape(batch))
            : timestep;
    NDArray tProj = timeProj.forward(t);
    NDArray temb = timeEmbedding.forward(tProj.toType(sample.getDataType(), false));
    report(probe, "time_proj", tProj);
    report(probe, "time_embedding", temb);
    NDArray x = convIn.forward(sample);
    report(probe, "conv_in", x);
    List<NDArray> skips = new ArrayList<>();
    skips.add(x);
    for (int i = 0; i < downBlocks.length; i++) {
      x = downBlocks[i].forward(x, temb, context, ctx, skips);
      report(probe, "down_blocks." + i, x);
    }
    x = midBlock.forward(x, temb, context, ctx);
    report(probe, "mid_block", x);
    for (int i = 0; i < upBlocks.length; i++) {
      x = upBlocks[i].forward(x, temb, context, ctx, skips);
      report(probe, "up_blocks." + i, x);
    }
    x = convNormOut.forward(x);
    report(probe, "conv_norm_out", x);
    x = convOut.forward(Activations.silu(x));
    report(probe, "conv_out", x);
    return x;
  }

  private static void report(Probe probe, String name, NDArray x) {
    if (probe != null) probe.output(name, x);
  }

  /** Receives named intermediate outputs. */
  @FunctionalInterface
  public interface Probe {
    void output(String module, NDArray value);
  }
}
