package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.nn.Conv2d;
import dev.viaspark.diffusion.weights.ComponentFiles;
import dev.viaspark.diffusion.weights.TensorSource;
import dev.viaspark.diffusion.weights.WeightLoading;
import dev.viaspark.diffusion.weights.Weights;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * diffusers' {@code AutoencoderKL} (the SD 1.x VAE): images in [-1, 1] to the latent posterior and
 * latents back to images. Field paths are the checkpoint keys. Results belong to the manager of the
 * input; intermediates are freed as the computation goes.
 */
public final class AutoencoderKL {
  private final VaeConfig config;
  final Encoder encoder;
  final Conv2d quantConv;
  final Conv2d postQuantConv;
  final Decoder decoder;

  public AutoencoderKL(VaeConfig cfg, TensorSource source, NDManager manager, DataType dtype) {
    this.config = cfg;
    WeightLoading loading = new WeightLoading("vae", source, manager, dtype);
    Weights w = loading.root();
    int latent = cfg.latentChannels();
    encoder = new Encoder(w.child("encoder"), cfg);
    quantConv = new Conv2d(w.child("quant_conv"), 2 * latent, 2 * latent, 1, 1, 0);
    postQuantConv = new Conv2d(w.child("post_quant_conv"), latent, latent, 1, 1, 0);
    decoder = new Decoder(w.child("decoder"), cfg);
    loading.finish(name -> false);
  }

  /**
   * Loads {@code vae/} of a diffusers checkpoint (weights of any stored float dtype, cast to
   * dtype).
   */
  public static AutoencoderKL load(Path componentDir, NDManager manager, DataType dtype) {
    VaeConfig cfg = VaeConfig.read(componentDir.resolve("config.json"));
    return ComponentFiles.build(
        componentDir, source -> new AutoencoderKL(cfg, source, manager, dtype));
  }

  public VaeConfig config() {
    return config;
  }

  public float scalingFactor() {
    return config.scalingFactor();
  }

  /**
   * @param image [batch, in_channels, H, W] in [-1, 1], H and W multiples of 8
   */
  public DiagonalGaussianDistribution encode(NDArray image) {
    return encode(image, Chain.NO_PROBE);
  }

  /**
   * @param probe sees the output of each submodule by its module path ({@code encoder.conv_in},
   *     ..., {@code encoder.mid_block}, {@code encoder.conv_out}, {@code quant_conv}); each is
   *     valid only during the call
   */
  public DiagonalGaussianDistribution encode(NDArray image, BiConsumer<String, NDArray> probe) {
    NDArray moments =
        new Chain("", image, probe)
            .then(h -> encoder.forward(h, probe))
            .then("quant_conv", quantConv::forward)
            .result();
    return new DiagonalGaussianDistribution(moments);
  }

  /** The posterior mean, unscaled: InstructPix2Pix's image latents. */
  public NDArray encodeMean(NDArray image) {
    try (DiagonalGaussianDistribution posterior = encode(image)) {
      return posterior.mode().duplicate();
    }
  }

  /**
   * @param z latents already divided by {@link #scalingFactor()} [batch, latent_channels, h, w]
   * @return the raw image [batch, out_channels, 8h, 8w], not clamped (about [-1, 1])
   */
  public NDArray decode(NDArray z) {
    return decode(z, Chain.NO_PROBE);
  }

  /**
   * @param probe sees {@code post_quant_conv}, {@code decoder.conv_in}, ..., {@code
   *     decoder.conv_out}
   */
  public NDArray decode(NDArray z, BiConsumer<String, NDArray> probe) {
    return new Chain("", z, probe)
        .then("post_quant_conv", postQuantConv::forward)
        .then(h -> decoder.forward(h, probe))
        .result();
  }
}
