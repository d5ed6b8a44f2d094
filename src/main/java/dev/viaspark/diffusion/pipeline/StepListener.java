package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;

/** Told after each denoising step, with the latents it produced (valid only during the call). */
@FunctionalInterface
public interface StepListener {
  StepListener NONE = (step, latents) -> {};

  void afterStep(int step, NDArray latents);
}
