package dev.viaspark.diffusion.schedulers;

/**
 * The training noise schedule every scheduler starts from: betas and alphas_cumprod over the {@code
 * num_train_timesteps} training timesteps, bit for bit as diffusers computes them in float32.
 */
final class BetaSchedule {
  private final float[] betas;
  private final float[] alphasCumprod;

  private BetaSchedule(float[] betas) {
    this.betas = betas;
    this.alphasCumprod = new float[betas.length];
    // torch.cumprod on CPU accumulates float32 inputs in double and rounds each output.
    double product = 1;
    for (int t = 0; t < betas.length; t++) {
      product *= 1f - betas[t];
      alphasCumprod[t] = (float) product;
    }
  }

  /**
   * From the config keys num_train_timesteps, trained_betas, beta_schedule, beta_start and
   * beta_end.
   */
  static BetaSchedule fromConfig(SchedulerConfig config) {
    int trainSteps = config.integer("num_train_timesteps", 1000);
    if (trainSteps < 2)
      throw config.invalid("num_train_timesteps", "must be at least 2, got " + trainSteps);
    double[] trained = config.numbers("trained_betas");
    if (trained != null) {
      if (trained.length != trainSteps) {
        throw config.invalid(
            "trained_betas", trained.length + " values for num_train_timesteps " + trainSteps);
      }
      float[] betas = new float[trainSteps];
      for (int t = 0; t < trainSteps; t++) betas[t] = (float) trained[t];
      return new BetaSchedule(betas);
    }
    double start = config.number("beta_start", 0.0001);
    double end = config.number("beta_end", 0.02);
    String schedule = config.string("beta_schedule", "linear");
    return switch (schedule) {
      case "linear" -> new BetaSchedule(torchLinspace((float) start, (float) end, trainSteps));
      case "scaled_linear" -> {
        float[] roots = torchLinspace((float) Math.sqrt(start), (float) Math.sqrt(end), trainSteps);
        for (int t = 0; t < trainSteps; t++) roots[t] *= roots[t];
        yield new BetaSchedule(roots);
      }
      case "squaredcos_cap_v2" -> new BetaSchedule(cosineBetas(trainSteps));
      default -> throw config.invalid("beta_schedule", "unsupported value '" + schedule + "'");
    };
  }

  int trainSteps() {
    return betas.length;
  }

  float[] betas() {
    return betas.clone();
  }

  float[] alphasCumprod() {
    return alphasCumprod.clone();
  }

  float alphaCumprod(int t) {
    return alphasCumprod[t];
  }

  /** sqrt((1 - alphas_cumprod) / alphas_cumprod) per training timestep, in float32 like torch. */
  float[] trainingSigmas() {
    float[] sigmas = new float[alphasCumprod.length];
    for (int t = 0; t < sigmas.length; t++) {
      float a = alphasCumprod[t];
      sigmas[t] = (float) Math.sqrt((1f - a) / a);
    }
    return sigmas;
  }

  /**
   * torch.linspace(start, end, n, dtype=float32) as the reference's torch 1.13 CPU kernel produced
   * it (AVX2 build, multiply-adds fused): a float32 step; the first half counts up from start and
   * the second half down from end; elements come in blocks of 8 lanes whose base is computed per
   * block and each lane adds lane*step, the tail (n mod 16) per element. A plain start + i*step
   * differs from the reference in the last bit of about a third of the scaled_linear betas.
   */
  private static float[] torchLinspace(float start, float end, int n) {
    float[] out = new float[n];
    if (n == 1) {
      out[0] = start;
      return out;
    }
    float step = (end - start) / (n - 1);
    int halfway = n / 2;
    int lanes = 8;
    int vectorized = n - n % (2 * lanes);
    for (int idx = 0; idx < n; idx++) {
      int blockStart = idx < vectorized ? idx - idx % lanes : idx;
      float base =
          blockStart < halfway
              ? Math.fma(step, blockStart, start)
              : Math.fma(-step, n - blockStart - 1, end);
      out[idx] = Math.fma(idx - blockStart, step, base);
    }
    return out;
  }

  /**
   * diffusers' betas_for_alpha_bar with the cosine transform and max_beta 0.999, in float64, then
   * float32.
   */
  private static float[] cosineBetas(int trainSteps) {
    float[] betas = new float[trainSteps];
    for (int i = 0; i < trainSteps; i++) {
      double t1 = (double) i / trainSteps;
      double t2 = (double) (i + 1) / trainSteps;
      betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
    }
    return betas;
  }

  private static double cosineAlphaBar(double t) {
    double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }
}
