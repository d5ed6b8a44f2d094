package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.nn.Scalars;
import dev.viaspark.diffusion.train.Adam;
import dev.viaspark.diffusion.train.TrainingStep;
import dev.viaspark.diffusion.vae.AutoencoderKL;
import dev.viaspark.diffusion.vae.DiagonalGaussianDistribution;
import dev.viaspark.diffusion.vae.VaeConfig;
import dev.viaspark.diffusion.weights.TensorSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains an {@link AutoencoderKL} to reconstruct images: the decoder sees a sample of the posterior
 * (so it learns to decode latents that are a little off, as a diffusion model's are), the loss is
 * mean squared plus mean absolute pixel error, and a small KL term keeps the latents near a unit
 * Gaussian.
 */
public final class VaeTraining implements AutoCloseable {
  /** Weight of the KL term, per latent element against the per-pixel reconstruction error. */
  static final float KL_WEIGHT = 1e-4f;

  /**
   * Global gradient norm above which updates are scaled down (as diffusers' training scripts clip,
   * at 1).
   */
  static final float MAX_GRAD_NORM = 1f;

  private final TrainableTensors tensors;
  private final AutoencoderKL vae;
  private final boolean decoderOnly;
  private final Map<String, NDArray> trained = new LinkedHashMap<>();
  private final Adam adam = Adam.defaults();

  /**
   * @param init the starting weights (random for a new model)
   */
  public VaeTraining(Path config, TensorSource init, NDManager manager) {
    this(config, init, manager, false);
  }

  /**
   * @param decoderOnly train the decoder (and {@code post_quant_conv}) alone, reconstructing from
   *     the frozen encoder's latents: a trained VAE's output improves while the latents a diffusion
   *     model learned on stay as they were
   */
  public VaeTraining(Path config, TensorSource init, NDManager manager, boolean decoderOnly) {
    this.tensors = new TrainableTensors(init);
    this.vae =
        TrainingStep.building(
            () -> new AutoencoderKL(VaeConfig.read(config), tensors, manager, DataType.FLOAT32));
    this.decoderOnly = decoderOnly;
    tensors
        .parameters()
        .forEach(
            (k, v) -> {
              if (!decoderOnly || k.startsWith("decoder.") || k.startsWith("post_quant_conv."))
                trained.put(k, v);
            });
  }

  /**
   * One step on {@code images} [B, 3, H, W] in [-1, 1].
   *
   * @param noise [B, latent channels, H/f, W/f] standard normal, the posterior sample's noise
   * @return the loss before the update
   */
  public float step(NDArray images, NDArray noise, float lr) {
    if (decoderOnly) {
      NDArray z =
          TrainingStep.withoutGradients(
              () -> {
                try (DiagonalGaussianDistribution posterior = vae.encode(images)) {
                  return posterior.mean().add(posterior.std().mul(noise));
                }
              });
      return TrainingStep.run(
          trained,
          adam,
          lr,
          MAX_GRAD_NORM,
          () -> {
            NDArray error = vae.decode(z).sub(images);
            return error.square().mean().add(error.abs().mean());
          });
    }
    return TrainingStep.run(
        trained,
        adam,
        lr,
        MAX_GRAD_NORM,
        () -> {
          try (DiagonalGaussianDistribution posterior = vae.encode(images)) {
            NDArray z = posterior.mean().add(posterior.std().mul(noise));
            NDArray error = vae.decode(z).sub(images);
            NDArray kl =
                Scalars.mul(
                    posterior
                        .mean()
                        .square()
                        .add(posterior.var())
                        .sub(1f)
                        .sub(posterior.logvar())
                        .mean(),
                    0.5f);
            return error.square().mean().add(error.abs().mean()).add(Scalars.mul(kl, KL_WEIGHT));
          }
        });
  }

  public AutoencoderKL model() {
    return vae;
  }

  public Map<String, NDArray> parameters() {
    return tensors.parameters();
  }

  /** The optimizer, whose state a resumable run saves and restores. */
  public Adam optimizer() {
    return adam;
  }

  @Override
  public void close() {
    adam.close();
  }
}
