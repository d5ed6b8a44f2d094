package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * diffusers' DDIMScheduler (Song et al. 2020): integer timesteps t, each step jumping to t - T/n
 * with x' = sqrt(a_prev) x0 + sqrt(1 - a_prev - std^2) eps (+ std noise when eta > 0), where a is
 * alphas_cumprod and std = eta sqrt((1 - a_prev)/(1 - a_t) (1 - a_t/a_prev)). With eta 0 (what
 * diffusers' pipelines pass) it draws no noise. No input scaling and no sigmas; the arithmetic
 * stays in the sample's dtype, as in diffusers.
 */
public final class DdimScheduler implements Scheduler {
  public static final String NAME = "DDIMScheduler";
  private final BetaSchedule betas;
  private final TimestepSpacing spacing;
  private final int stepsOffset;
  private final PredictionType prediction;
  private final float finalAlphaCumprod;
  private final boolean clipSample;
  private final float clipSampleRange;
  private final float eta;

  DdimScheduler(SchedulerConfig config) {
    this.betas = BetaSchedule.fromConfig(config);
    this.spacing = config.choice("timestep_spacing", "leading", TimestepSpacing::parse);
    this.stepsOffset = config.integer("steps_offset", 0);
    this.prediction = config.choice("prediction_type", "epsilon", PredictionType::parse);
    this.finalAlphaCumprod = config.bool("set_alpha_to_one", true) ? 1f : betas.alphaCumprod(0);
    this.clipSample = config.bool("clip_sample", true);
    this.clipSampleRange = (float) config.number("clip_sample_range", 1.0);
    this.eta = 0f;
    config.requireDefault("thresholding", false);
    config.requireDefault("rescale_betas_zero_snr", false);
  }

  private DdimScheduler(DdimScheduler base, float eta) {
    this.betas = base.betas;
    this.spacing = base.spacing;
    this.stepsOffset = base.stepsOffset;
    this.prediction = base.prediction;
    this.finalAlphaCumprod = base.finalAlphaCumprod;
    this.clipSample = base.clipSample;
    this.clipSampleRange = base.clipSampleRange;
    this.eta = eta;
  }

  /**
   * The same scheduler with step(..., eta) other than 0; eta > 0 draws one noise tensor per step.
   */
  public DdimScheduler withEta(float eta) {
    if (!(eta >= 0)) throw new IllegalArgumentException("eta must be >= 0, got " + eta);
    return new DdimScheduler(this, eta);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Schedule schedule(int steps) {
    int trainSteps = betas.trainSteps();
    if (steps < 1 || steps > trainSteps) {
      throw new IllegalArgumentException("steps must be in [1, " + trainSteps + "], got " + steps);
    }
    long[] timesteps = spacing.integerTimesteps(trainSteps, steps, stepsOffset);
    for (long t : timesteps) {
      if (t < 0 || t >= trainSteps) {
        throw new IllegalArgumentException(
            steps
                + " steps with steps_offset "
                + stepsOffset
                + " give timestep "
                + t
                + ", outside the "
                + trainSteps
                + " training timesteps");
      }
    }
    return new Plan(timesteps, trainSteps / steps);
  }

  /**
   * diffusers' DDIMInverseScheduler built from the same config: the timesteps of {@link #schedule}
   * in ascending order, each step taking a sample from the noise level one stride below (the
   * config's {@code set_alpha_to_one} level below the first) up to the step's own timestep, {@code
   * x' = sqrt(a_t) x0 + sqrt(1 - a_t) eps} with the model evaluated at the step's timestep. Its
   * last step ends at the first timestep of {@link #schedule}, where denoising with the same
   * conditioning starts; {@link Schedule#noisedAfterStep} gives the level a step ends at.
   */
  public Schedule inverse(int steps) {
    Plan forward = (Plan) schedule(steps);
    long[] ascending = new long[forward.timesteps.length];
    for (int i = 0; i < ascending.length; i++) {
      ascending[i] = forward.timesteps[ascending.length - 1 - i];
    }
    return new InversePlan(ascending, forward.stride);
  }

  /** The predicted clean sample (clipped when the config says so) and noise. */
  private record Split(NDArray x0, NDArray eps) {}

  /**
   * {@code x0} and {@code eps} from the model's output for a sample at the noise level whose {@code
   * sqrt(alphas_cumprod)} and {@code sqrt(1 - alphas_cumprod)} are given.
   */
  private Split split(NDArray modelOutput, NDArray sample, float sqrtAlpha, float sqrtBeta) {
    NDArray x0;
    NDArray eps;
    switch (prediction) {
      case EPSILON -> {
        x0 = sample.sub(modelOutput.mul(sqrtBeta)).div(sqrtAlpha);
        eps = modelOutput;
      }
      case SAMPLE -> {
        x0 = modelOutput.duplicate();
        eps = sample.sub(x0.mul(sqrtAlpha)).div(sqrtBeta);
      }
      case V_PREDICTION -> {
        x0 = sample.mul(sqrtAlpha).sub(modelOutput.mul(sqrtBeta));
        eps = modelOutput.mul(sqrtAlpha).add(sample.mul(sqrtBeta));
      }
      default -> throw new AssertionError(prediction);
    }
    if (clipSample) x0 = x0.clip(-clipSampleRange, clipSampleRange);
    return new Split(x0, eps);
  }

  BetaSchedule betaSchedule() {
    return betas;
  }

  /** What DDIM's schedules share: integer timesteps, one stride apart, no sigmas, no scaling. */
  private abstract static class IntegerPlan implements Schedule {
    final long[] timesteps;
    final int stride;

    IntegerPlan(long[] timesteps, int stride) {
      this.timesteps = timesteps;
      this.stride = stride;
    }

    @Override
    public int steps() {
      return timesteps.length;
    }

    @Override
    public float timestep(int i) {
      return timesteps[Objects.checkIndex(i, timesteps.length)];
    }

    @Override
    public boolean integerTimesteps() {
      return true;
    }

    @Override
    public float initNoiseSigma() {
      return 1f;
    }

    @Override
    public float sigma(int i) {
      Objects.checkIndex(i, timesteps.length);
      return Float.NaN;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, int i) {
      Objects.checkIndex(i, timesteps.length);
      return sample.duplicate();
    }
  }

  private final class Plan extends IntegerPlan {
    Plan(long[] timesteps, int stride) {
      super(timesteps, stride);
    }

    @Override
    public NDArray noisedAfterStep(NDArray clean, NDArray unitNoise, int i) {
      long prevT = timesteps[Objects.checkIndex(i, timesteps.length)] - stride;
      float alphaPrev = prevT >= 0 ? betas.alphaCumprod((int) prevT) : finalAlphaCumprod;
      return clean
          .mul((float) Math.sqrt(alphaPrev))
          .add(unitNoise.mul((float) Math.sqrt(1f - alphaPrev)));
    }

    @Override
    public StepOutput step(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
      long t = timesteps[Objects.checkIndex(i, timesteps.length)];
      long prevT = t - stride;
      float alpha = betas.alphaCumprod((int) t);
      float alphaPrev = prevT >= 0 ? betas.alphaCumprod((int) prevT) : finalAlphaCumprod;
      float beta = 1f - alpha;
      float sqrtAlpha = (float) Math.sqrt(alpha);
      float sqrtBeta = (float) Math.sqrt(beta);
      float variance = ((1f - alphaPrev) / beta) * (1f - alpha / alphaPrev);
      float std = eta * (float) Math.sqrt(variance);
      float directionScale = (float) Math.sqrt(1f - alphaPrev - std * std);

      return StepArrays.keepOnlyOutput(
          () -> {
            Split p = split(modelOutput, sample, sqrtAlpha, sqrtBeta);
            NDArray x0 = p.x0();
            NDArray prev = x0.mul((float) Math.sqrt(alphaPrev)).add(p.eps().mul(directionScale));
            if (eta > 0) prev = prev.add(StepArrays.noiseLike(noise, modelOutput).mul(std));
            return new StepOutput(prev, x0);
          });
    }
  }

  private final class InversePlan extends IntegerPlan {
    InversePlan(long[] timesteps, int stride) {
      super(timesteps, stride);
    }

    @Override
    public NDArray noisedAfterStep(NDArray clean, NDArray unitNoise, int i) {
      float alpha = betas.alphaCumprod((int) timesteps[Objects.checkIndex(i, timesteps.length)]);
      return clean.mul((float) Math.sqrt(alpha)).add(unitNoise.mul((float) Math.sqrt(1f - alpha)));
    }

    @Override
    public StepOutput step(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
      long t = timesteps[Objects.checkIndex(i, timesteps.length)];
      long from = Math.min(t - stride, betas.trainSteps() - 1);
      float alphaFrom = from >= 0 ? betas.alphaCumprod((int) from) : finalAlphaCumprod;
      float alphaTo = betas.alphaCumprod((int) t);
      float sqrtAlphaFrom = (float) Math.sqrt(alphaFrom);
      float sqrtBetaFrom = (float) Math.sqrt(1f - alphaFrom);
      return StepArrays.keepOnlyOutput(
          () -> {
            Split p = split(modelOutput, sample, sqrtAlphaFrom, sqrtBetaFrom);
            NDArray next =
                p.x0()
                    .mul((float) Math.sqrt(alphaTo))
                    .add(p.eps().mul((float) Math.sqrt(1f - alphaTo)));
            return new StepOutput(next, p.x0());
          });
    }
  }
}
