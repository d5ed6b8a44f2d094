package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.schedulers.NoiseSource;
import java.util.List;

/**
 * One DDIM inversion over a batch: the frames' latents are taken back up the noise schedule under
 * the model, conditioned on the frames themselves and an instruction (often the empty one), with no
 * classifier-free guidance, so that denoising the result with DDIM and the same conditioning gives
 * the frames back.
 *
 * @param images [B, 3, H, W] in [-1, 1], H and W multiples of 8
 * @param conditions the images the UNet is conditioned on, shaped as {@code images}, or null for
 *     the images themselves (an edited keyframe is inverted conditioned on its source frame)
 * @param prompts one instruction per image, or one for all ("" for none)
 * @param steps DDIM steps; denoise the result with the same number
 * @param perturbation smooth-area noise added to the images before they are encoded, or null
 * @param noise the perturbation's one draw (unused without a perturbation)
 * @param hook attention hook called at each inversion step (may be null)
 */
public record InversionCall(
    NDArray images,
    NDArray conditions,
    List<String> prompts,
    int steps,
    SmoothAreaPerturbation perturbation,
    NoiseSource noise,
    AttentionHook hook) {
  /** An inversion conditioned on the images themselves. */
  public InversionCall(
      NDArray images,
      List<String> prompts,
      int steps,
      SmoothAreaPerturbation perturbation,
      NoiseSource noise,
      AttentionHook hook) {
    this(images, null, prompts, steps, perturbation, noise, hook);
  }
}
