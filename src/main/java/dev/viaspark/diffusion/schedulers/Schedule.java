package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * One run's plan: the timesteps, the noise levels and the update rule, addressed by step index
 * {@code i} in {@code [0, steps())}. It holds no state between steps, so one instance may drive
 * several runs at once. Arrays returned are new and belong to the manager of the sample passed in.
 */
public interface Schedule {
  int steps();

  /**
   * The value fed to the UNet at step i, as float32 (DDIM's int64 timesteps are exact in float).
   */
  float timestep(int i);

  /** True when the timesteps are integers (DDIM), false for the Euler family's float timesteps. */
  boolean integerTimesteps();

  /** The factor the pipeline multiplies the initial standard-normal latents by. */
  float initNoiseSigma();

  /** The noise level at step i; {@link Float#NaN} for schedulers without sigmas (DDIM). */
  float sigma(int i);

  /** diffusers' {@code scale_model_input}: the (new) array to feed the UNet at step i. */
  NDArray scaleModelInput(NDArray sample, int i);

  /**
   * diffusers' {@code step}: draws from {@code noise} exactly as diffusers draws from its
   * generator.
   */
  StepOutput step(NDArray modelOutput, int i, NDArray sample, NoiseSource noise);

  /**
   * Clean latents noised to the level a sample has after step i (the sample step i returns), with
   * the given unit-variance noise: where an unedited source would be at that point of the run.
   * Masked editing pins the region outside the mask to it.
   */
  NDArray noisedAfterStep(NDArray clean, NDArray unitNoise, int i);
}
