package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.schedulers.NoiseSource;
import java.util.List;

/**
 * One InstructPix2Pix call over a batch.
 *
 * @param images [B, 3, H, W] in [-1, 1], H and W multiples of 8
 * @param prompts one instruction per image, or one for all
 * @param negativePrompt replaces "" in both unconditional branches (null or "" for none)
 * @param guidanceScale text guidance; classifier-free guidance runs when it is above 1 and
 *     imageGuidanceScale is at least 1, otherwise one branch
 * @param scheduler a scheduler class name (EulerAncestralDiscreteScheduler, EulerDiscreteScheduler,
 *     DDIMScheduler) or null for the checkpoint's own
 * @param noise the random draws: the initial latents (unless {@code latents} is given), then one
 *     per step
 * @param latents initial unit-variance latents [B, latent channels, H/f, W/f], or null to draw them
 * @param hook attention hook (record, swap), called with the step index and the batch's guidance
 *     branches
 * @param mask where the edit may change the images, or null for everywhere
 * @param ddimEta DDIMScheduler's eta: the share of each step's variance drawn as fresh noise (0:
 *     deterministic); other schedulers need 0
 */
public record EditCall(
    NDArray images,
    List<String> prompts,
    String negativePrompt,
    int steps,
    float guidanceScale,
    float imageGuidanceScale,
    String scheduler,
    NoiseSource noise,
    NDArray latents,
    AttentionHook hook,
    LatentMask mask,
    float ddimEta) {
  public EditCall {
    if (!(ddimEta >= 0 && ddimEta <= 1)) {
      throw new IllegalArgumentException("DDIM's eta is in [0, 1], got " + ddimEta);
    }
  }

  /** An edit with the scheduler's deterministic DDIM (eta 0). */
  public EditCall(
      NDArray images,
      List<String> prompts,
      String negativePrompt,
      int steps,
      float guidanceScale,
      float imageGuidanceScale,
      String scheduler,
      NoiseSource noise,
      NDArray latents,
      AttentionHook hook,
      LatentMask mask) {
    this(
        images,
        prompts,
        negativePrompt,
        steps,
        guidanceScale,
        imageGuidanceScale,
        scheduler,
        noise,
        latents,
        hook,
        mask,
        0f);
  }

  public boolean guided() {
    return guidanceScale > 1f && imageGuidanceScale >= 1f;
  }
}
