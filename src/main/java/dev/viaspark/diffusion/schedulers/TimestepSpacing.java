package dev.viaspark.diffusion.schedulers;

/**
 * How diffusers 0.24's {@code set_timesteps} picks the inference timesteps out of {@code
 * trainSteps} (the config's {@code timestep_spacing}). Timesteps are returned in sampling order,
 * highest first.
 */
enum TimestepSpacing {
  LINSPACE,
  LEADING,
  TRAILING;

  static TimestepSpacing parse(String s) {
    return switch (s) {
      case "linspace" -> LINSPACE;
      case "leading" -> LEADING;
      case "trailing" -> TRAILING;
      default -> null;
    };
  }

  /**
   * The Euler family's float32 timesteps; "linspace" keeps the fractional values (999, 946.42108,
   * ...).
   */
  float[] floatTimesteps(int trainSteps, int steps, int stepsOffset) {
    float[] out = new float[steps];
    if (this == LINSPACE) {
      for (int i = 0; i < steps; i++) out[i] = (float) linspace(trainSteps, steps, i);
    } else {
      long[] integral = integerTimesteps(trainSteps, steps, stepsOffset);
      for (int i = 0; i < steps; i++) out[i] = integral[i];
    }
    return out;
  }

  /** DDIM's int64 timesteps; "linspace" rounds half to even, as numpy does. */
  long[] integerTimesteps(int trainSteps, int steps, int stepsOffset) {
    long[] out = new long[steps];
    switch (this) {
      case LINSPACE -> {
        for (int i = 0; i < steps; i++) out[i] = (long) Math.rint(linspace(trainSteps, steps, i));
      }
      case LEADING -> {
        int ratio = trainSteps / steps;
        for (int i = 0; i < steps; i++) out[i] = (long) (steps - 1 - i) * ratio + stepsOffset;
      }
      case TRAILING -> {
        // np.arange(T, 0, -T/n) evaluates T + i*delta with delta = (T - T/n) - T. For some n
        // numpy's length rule
        // yields n+1 values (the last rounds to 0, i.e. timestep -1); we keep the first n, the ones
        // diffusers means.
        double delta = (trainSteps - (double) trainSteps / steps) - trainSteps;
        for (int i = 0; i < steps; i++) out[i] = (long) Math.rint(trainSteps + i * delta) - 1;
      }
      default -> throw new IllegalStateException("no timesteps for " + this);
    }
    return out;
  }

  /** Element i of np.linspace(0, T-1, n) reversed, in float64. */
  private static double linspace(int trainSteps, int steps, int i) {
    int k = steps - 1 - i;
    if (k == steps - 1) return k == 0 ? 0 : trainSteps - 1;
    return k * ((trainSteps - 1) / (double) (steps - 1));
  }
}
