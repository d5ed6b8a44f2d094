package dev.viaspark.diffusion.vae;

import dev.viaspark.diffusion.ConfigJson;
import java.nio.file.Path;
import java.util.Arrays;

/** The structure of a diffusers {@code AutoencoderKL}, from {@code vae/config.json}. */
public record VaeConfig(
    int inChannels,
    int outChannels,
    int latentChannels,
    int[] blockOutChannels,
    String[] downBlockTypes,
    String[] upBlockTypes,
    int layersPerBlock,
    int normNumGroups,
    float scalingFactor,
    int sampleSize) {

  public static VaeConfig read(Path file) {
    return from(ConfigJson.read(file));
  }

  public static VaeConfig from(ConfigJson c) {
    int[] blocks = c.integers("block_out_channels");
    String[] down = c.strings("down_block_types");
    String[] up = c.strings("up_block_types");
    requireAll(c, "down_block_types", down, "DownEncoderBlock2D", blocks.length);
    requireAll(c, "up_block_types", up, "UpDecoderBlock2D", blocks.length);
    String act = c.string("act_fn", "silu");
    if (!act.equals("silu")) throw c.bad("act_fn", "\"silu\"", act);
    return new VaeConfig(
        c.integer("in_channels"),
        c.integer("out_channels"),
        c.integer("latent_channels"),
        blocks,
        down,
        up,
        c.integer("layers_per_block"),
        c.integer("norm_num_groups"),
        (float) c.number("scaling_factor", 0.18215),
        c.integer("sample_size", 32));
  }

  /**
   * diffusers hard-codes this GroupNorm eps for every norm of the VAE; config.json has no key for
   * it.
   */
  public float normEps() {
    return 1e-6f;
  }

  private static void requireAll(
      ConfigJson c, String key, String[] types, String expected, int count) {
    if (types.length != count) {
      throw c.bad(key, "as long as block_out_channels (" + count + ")", Arrays.toString(types));
    }
    for (String t : types) {
      if (!t.equals(expected))
        throw c.bad(key, "a list of \"" + expected + "\"", Arrays.toString(types));
    }
  }
}
