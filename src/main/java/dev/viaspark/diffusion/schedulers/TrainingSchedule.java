package dev.viaspark.diffusion.schedulers;

import java.nio.file.Path;

/**
 * The forward (noising) process a model is trained with: alphas_cumprod of a checkpoint's scheduler
 * config.
 */
public final class TrainingSchedule {
  private final float[] alphasCumprod;

  private TrainingSchedule(float[] alphasCumprod) {
    this.alphasCumprod = alphasCumprod;
  }

  /** From {@code scheduler_config.json}, as every scheduler that reads it computes its betas. */
  public static TrainingSchedule read(Path schedulerConfig) {
    return new TrainingSchedule(
        BetaSchedule.fromConfig(SchedulerConfig.read(schedulerConfig)).alphasCumprod());
  }

  public int trainSteps() {
    return alphasCumprod.length;
  }

  /**
   * The share of signal left at training timestep {@code t}: {@code x_t = sqrt(a) x_0 + sqrt(1 - a)
   * noise}.
   */
  public float alphaCumprod(int t) {
    return alphasCumprod[t];
  }
}
