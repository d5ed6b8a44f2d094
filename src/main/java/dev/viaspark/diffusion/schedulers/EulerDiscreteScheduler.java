package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' EulerDiscreteScheduler (Karras et al. 2022, Algorithm 2) with s_churn 0: a
 * deterministic Euler step of the probability-flow ODE, x' = x + (x - x0)/sigma * (sigma_next -
 * sigma). Like diffusers, each step still draws one noise tensor, which s_churn 0 then ignores, so
 * a replayed noise stream stays aligned.
 */
public final class EulerDiscreteScheduler implements Scheduler {
  static final String NAME = "EulerDiscreteScheduler";
  private final SigmaSchedule.Settings settings;

  EulerDiscreteScheduler(SchedulerConfig config) {
    this.settings = SigmaSchedule.Settings.fromConfig(config);
    config.requireDefault("interpolation_type", "linear");
    config.requireDefault("use_karras_sigmas", false);
    if (settings.prediction() == PredictionType.V_PREDICTION) {
      config.requireDefault("timestep_type", "discrete");
    }
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
      StepArrays.noiseLike(noise, modelOutput).close();
      float sigma = sigma(i);
      NDArray x0 = predictOriginalSample(modelOutput, sample32, sigma);
      NDArray derivative = sample32.sub(x0).div(sigma);
      NDArray prev = sample32.add(derivative.mul(nextSigma(i) - sigma));
      return new StepOutput(prev, x0);
    }
  }
}
