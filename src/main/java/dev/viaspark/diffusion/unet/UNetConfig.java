package dev.viaspark.diffusion.unet;

import dev.viaspark.diffusion.ConfigJson;
import java.nio.file.Path;
import java.util.Arrays;

/** The structure of a {@code UNet2DConditionModel}, from its {@code config.json}. */
public record UNetConfig(
    int inChannels,
    int outChannels,
    int[] blockOutChannels,
    String[] downBlockTypes,
    String[] upBlockTypes,
    String midBlockType,
    int layersPerBlock,
    int[] heads,
    int[] transformerLayers,
    int crossAttentionDim,
    int normNumGroups,
    float normEps,
    boolean flipSinToCos,
    float freqShift,
    boolean useLinearProjection,
    int downsamplePadding,
    float midBlockScaleFactor) {

  public static UNetConfig read(Path file) {
    return from(ConfigJson.read(file));
  }

  public static UNetConfig from(ConfigJson c) {
    int[] blocks = c.integers("block_out_channels");
    int n = blocks.length;
    String[] down = c.strings("down_block_types");
    String[] up = c.strings("up_block_types");
    if (down.length != n || up.length != n) {
      throw c.bad(
          "down_block_types", "as long as block_out_channels (" + n + ")", Arrays.toString(down));
    }
    for (String t : down) {
      if (!t.equals("CrossAttnDownBlock2D") && !t.equals("DownBlock2D"))
        throw c.bad("down_block_types", "CrossAttnDownBlock2D or DownBlock2D", t);
    }
    for (String t : up) {
      if (!t.equals("CrossAttnUpBlock2D") && !t.equals("UpBlock2D"))
        throw c.bad("up_block_types", "CrossAttnUpBlock2D or UpBlock2D", t);
    }
    String mid = c.string("mid_block_type", "UNetMidBlock2DCrossAttn");
    if (!mid.equals("UNetMidBlock2DCrossAttn"))
      throw c.bad("mid_block_type", "UNetMidBlock2DCrossAttn", mid);
    requireDefault(c, "only_cross_attention", false);
    requireDefault(c, "dual_cross_attention", false);
    requireAbsent(c, "class_embed_type");
    requireAbsent(c, "addition_embed_type");
    requireAbsent(c, "time_cond_proj_dim");
    if (!c.string("resnet_time_scale_shift", "default").equals("default")) {
      throw c.bad(
          "resnet_time_scale_shift", "\"default\"", c.string("resnet_time_scale_shift", ""));
    }
    if (!c.string("time_embedding_type", "positional").equals("positional")) {
      throw c.bad("time_embedding_type", "\"positional\"", c.string("time_embedding_type", ""));
    }
    if (c.integer("conv_in_kernel", 3) != 3 || c.integer("conv_out_kernel", 3) != 3) {
      throw c.bad("conv_in_kernel", "3 (with conv_out_kernel 3)", c.integer("conv_in_kernel", 3));
    }
    if (c.has("cross_attention_dim") && !c.node().get("cross_attention_dim").canConvertToInt()) {
      throw c.bad("cross_attention_dim", "one integer", c.node().get("cross_attention_dim"));
    }
    // diffusers' legacy naming: attention_head_dim holds the number of heads unless
    // num_attention_heads is set
    int[] heads =
        c.has("num_attention_heads")
            ? c.perBlock("num_attention_heads", n, null)
            : c.perBlock("attention_head_dim", n, 8);
    return new UNetConfig(
        c.integer("in_channels", 4),
        c.integer("out_channels", 4),
        blocks,
        down,
        up,
        mid,
        c.integer("layers_per_block", 2),
        heads,
        c.perBlock("transformer_layers_per_block", n, 1),
        c.integer("cross_attention_dim", 1280),
        c.integer("norm_num_groups", 32),
        (float) c.number("norm_eps", 1e-5),
        c.bool("flip_sin_to_cos", true),
        (float) c.number("freq_shift", 0),
        c.bool("use_linear_projection", false),
        c.integer("downsample_padding", 1),
        (float) c.number("mid_block_scale_factor", 1));
  }

  private static void requireDefault(ConfigJson c, String key, boolean expected) {
    if (c.has(key) && c.node().get(key).isBoolean() && c.bool(key, expected) != expected) {
      throw c.bad(key, expected + " (viaspark implements the SD 1.x UNet)", !expected);
    }
  }

  private static void requireAbsent(ConfigJson c, String key) {
    if (c.has(key))
      throw c.bad(key, "null (viaspark implements the SD 1.x UNet)", c.node().get(key));
  }

  public int timeEmbedDim() {
    return blockOutChannels[0] * 4;
  }
}
