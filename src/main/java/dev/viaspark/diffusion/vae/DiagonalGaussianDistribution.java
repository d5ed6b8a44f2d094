package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import dev.viaspark.diffusion.nn.Scalars;

/**
 * diffusers' {@code DiagonalGaussianDistribution}, the VAE posterior: {@code moments} split along
 * channels into mean and log-variance, the log-variance clamped to [-30, 20]. All arrays belong to
 * the manager of the moments.
 */
public final class DiagonalGaussianDistribution implements AutoCloseable {
  private final NDArray parameters;
  private final NDArray mean;
  private final NDArray logvar;
  private final NDArray std;
  private final NDArray var;

  /**
   * @param moments [batch, 2 x latent_channels, h, w] (quant_conv's output); the distribution takes
   *     ownership
   */
  public DiagonalGaussianDistribution(NDArray moments) {
    long half = moments.getShape().get(1) / 2;
    try (NDScope scope = new NDScope()) {
      parameters = moments;
      mean = moments.get(new NDIndex(":, 0:{}", half));
      logvar = moments.get(new NDIndex(":, {}:", half)).clip(-30f, 20f);
      std = Scalars.mul(logvar, 0.5f).exp();
      var = logvar.exp();
      NDScope.unregister(mean, logvar, std, var);
    }
  }

  public NDArray parameters() {
    return parameters;
  }

  public NDArray mean() {
    return mean;
  }

  /** The most likely latent, the mean (what InstructPix2Pix uses as image latents, unscaled). */
  public NDArray mode() {
    return mean;
  }

  public NDArray logvar() {
    return logvar;
  }

  public NDArray std() {
    return std;
  }

  public NDArray var() {
    return var;
  }

  @Override
  public void close() {
    for (NDArray a : new NDArray[] {mean, logvar, std, var, parameters}) a.close();
  }
}
