package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' EulerAncestralDiscreteScheduler: an Euler step down to sigma_down followed by fresh
 * noise of size sigma_up, where sigma_up = sqrt(sigma_next^2 (sigma^2 - sigma_next^2) / sigma^2)
 * and sigma_down = sqrt(sigma_next^2 - sigma_up^2). One draw per step, the last one included (where
 * sigma_up is 0).
 */
public final class EulerAncestralDiscreteScheduler implements Scheduler {
  static final String NAME = "EulerAncestralDiscreteScheduler";
  private final SigmaSchedule.Settings settings;

  EulerAncestralDiscreteScheduler(SchedulerConfig config) {
    this.settings = SigmaSchedule.Settings.fromConfig(config);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Schedule schedule(int steps) {
    return new Plan(settings, steps);
  }

  BetaSchedule betaSchedule() {
    return settings.betas();
  }

  private static final class Plan extends SigmaSchedule {
    Plan(Settings settings, int steps) {
      super(settings, steps);
    }

    @Override
    StepOutput update(NDArray modelOutput, int i, NDArray sample32, NoiseSource noise) {
      float sigma = sigma(i);
      float sigmaSquared = sigma * sigma;
      float nextSquared = nextSigma(i) * nextSigma(i);
      float sigmaUp = (float) Math.sqrt(nextSquared * (sigmaSquared - nextSquared) / sigmaSquared);
      float sigmaDown = (float) Math.sqrt(nextSquared - sigmaUp * sigmaUp);

      NDArray x0 = predictOriginalSample(modelOutput, sample32, sigma);
      NDArray derivative = sample32.sub(x0).div(sigma);
      NDArray prev = sample32.add(derivative.mul(sigmaDown - sigma));
      NDArray fresh = StepArrays.noiseLike(noise, modelOutput);
      return new StepOutput(prev.add(fresh.mul(sigmaUp)), x0);
    }
  }
}
