package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * The plan the Euler-family schedulers share: float32 timesteps, sigmas interpolated from the
 * training schedule, input scaling by 1/sqrt(sigma^2 + 1) and the x0 estimate. Subclasses supply
 * the update rule. Following diffusers 0.24, steps upcast the sample to float32 and cast the next
 * sample back to the model output's dtype (the x0 estimate stays float32).
 */
abstract class SigmaSchedule implements Schedule {

  /** The config values the Euler family reads. */
  record Settings(
      BetaSchedule betas, TimestepSpacing spacing, int stepsOffset, PredictionType prediction) {
    static Settings fromConfig(SchedulerConfig config) {
      return new Settings(
          BetaSchedule.fromConfig(config),
          config.choice("timestep_spacing", "linspace", TimestepSpacing::parse),
          config.integer("steps_offset", 0),
          config.choice("prediction_type", "epsilon", PredictionType::parse));
    }
  }

  private final float[] timesteps;
  private final float[] sigmas;
  private final float initNoiseSigma;
  private final PredictionType prediction;

  SigmaSchedule(Settings settings, int steps) {
    int trainSteps = settings.betas().trainSteps();
    if (steps < 1 || steps > trainSteps) {
      throw new IllegalArgumentException("steps must be in [1, " + trainSteps + "], got " + steps);
    }
    this.timesteps = settings.spacing().floatTimesteps(trainSteps, steps, settings.stepsOffset());
    this.sigmas = interpolate(timesteps, settings.betas().trainingSigmas());
    float max = 0;
    for (float s : sigmas) max = Math.max(max, s);
    // diffusers' init_noise_sigma: sigma_max, except for "leading", where it is sqrt(sigma_max^2 +
    // 1).
    this.initNoiseSigma =
        settings.spacing() == TimestepSpacing.LEADING ? (float) Math.sqrt(max * max + 1f) : max;
    this.prediction = settings.prediction();
  }

  /**
   * np.interp(timesteps, arange(T), trainingSigmas) in float64, then a trailing 0, all cast to
   * float32.
   */
  static float[] interpolate(float[] timesteps, float[] trainingSigmas) {
    int last = trainingSigmas.length - 1;
    float[] out = new float[timesteps.length + 1];
    for (int i = 0; i < timesteps.length; i++) {
      double x = timesteps[i];
      double y;
      if (x <= 0) {
        y = trainingSigmas[0];
      } else if (x >= last) {
        y = trainingSigmas[last];
      } else {
        int j = (int) x;
        double slope = (double) trainingSigmas[j + 1] - trainingSigmas[j];
        y = x == j ? trainingSigmas[j] : slope * (x - j) + trainingSigmas[j];
      }
      out[i] = (float) y;
    }
    return out;
  }

  @Override
  public final int steps() {
    return timesteps.length;
  }

  @Override
  public final float timestep(int i) {
    return timesteps[Objects.checkIndex(i, timesteps.length)];
  }

  @Override
  public final boolean integerTimesteps() {
    return false;
  }

  @Override
  public final float initNoiseSigma() {
    return initNoiseSigma;
  }

  @Override
  public final float sigma(int i) {
    return sigmas[Objects.checkIndex(i, timesteps.length)];
  }

  /** The sigma after step i (0 after the last step). */
  final float nextSigma(int i) {
    return sigmas[Objects.checkIndex(i, timesteps.length) + 1];
  }

  @Override
  public final NDArray scaleModelInput(NDArray sample, int i) {
    float sigma = sigma(i);
    return sample.div((float) Math.sqrt(sigma * sigma + 1f));
  }

  @Override
  public final NDArray noisedAfterStep(NDArray clean, NDArray unitNoise, int i) {
    float sigma = nextSigma(i);
    return sigma == 0f ? clean.duplicate() : clean.add(unitNoise.mul(sigma));
  }

  @Override
  public final StepOutput step(NDArray modelOutput, int i, NDArray sample, NoiseSource noise) {
    Objects.checkIndex(i, timesteps.length);
    return StepArrays.keepOnlyOutput(
        () -> {
          StepOutput out = update(modelOutput, i, sample.toType(DataType.FLOAT32, false), noise);
          return new StepOutput(
              out.prevSample().toType(modelOutput.getDataType(), false), out.predOriginalSample());
        });
  }

  /**
   * The update rule on the float32 sample; its next sample is cast back to the model output's dtype
   * by the caller.
   */
  abstract StepOutput update(NDArray modelOutput, int i, NDArray sample32, NoiseSource noise);

  /** x0 from the model output at noise level sigma (diffusers' pred_original_sample). */
  final NDArray predictOriginalSample(NDArray modelOutput, NDArray sample32, float sigma) {
    return switch (prediction) {
      case EPSILON -> sample32.sub(modelOutput.mul(sigma));
      case V_PREDICTION -> {
        float variance = sigma * sigma + 1f;
        yield modelOutput.mul(-sigma / (float) Math.sqrt(variance)).add(sample32.div(variance));
      }
      case SAMPLE -> modelOutput.duplicate();
    };
  }
}
