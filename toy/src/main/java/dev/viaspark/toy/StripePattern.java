package dev.viaspark.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Parallel bands of equal width across the frame, in scene units (the frame is the unit square): a
 * point (u, v) is in a band when the fractional part of {@code (u cos a + v sin a) / period +
 * phase} is under one half. The orientations and periods a pattern may have are few and fixed, so
 * that {@link ToyAccuracy} can find the pattern an edit painted by trying them all.
 *
 * @param angle index into {@link #ANGLES} orientations, {@code 180 / ANGLES} degrees apart
 * @param period index into {@link #PERIODS}
 * @param phase shift of the bands, in periods, 0 to 1
 */
public record StripePattern(int angle, int period, double phase) {
  /** Orientations: 0, 15, ... 165 degrees. */
  public static final int ANGLES = 12;

  /** Band plus gap, in scene units: 8, 10, 12, 14 and 16 pixels at 64x64. */
  static final double[] PERIODS = {0.125, 0.15625, 0.1875, 0.21875, 0.25};

  public StripePattern {
    if (angle < 0
        || angle >= ANGLES
        || period < 0
        || period >= PERIODS.length
        || !(phase >= 0 && phase < 1)) {
      throw new IllegalArgumentException("stripes " + angle + "/" + period + "/" + phase);
    }
  }

  /** One of the patterns, uniformly. */
  static StripePattern draw(SplittableRandom rng) {
    return new StripePattern(rng.nextInt(ANGLES), rng.nextInt(PERIODS.length), rng.nextDouble());
  }

  /** Every orientation and period, each at phase 0. */
  static List<StripePattern> shapes() {
    List<StripePattern> out = new ArrayList<>();
    for (int a = 0; a < ANGLES; a++) {
      for (int p = 0; p < PERIODS.length; p++) out.add(new StripePattern(a, p, 0));
    }
    return out;
  }

  /** Where (u, v) lies across the bands, in periods, 0 to 1: under one half is inside a band. */
  double position(double u, double v) {
    double a = Math.PI * angle / ANGLES;
    double t = (u * Math.cos(a) + v * Math.sin(a)) / PERIODS[period] + phase;
    return t - Math.floor(t);
  }

  /** Whether (u, v) is inside a band. */
  public boolean covers(double u, double v) {
    return position(u, v) < 0.5;
  }

  /** The period in pixels of a frame {@code size} pixels wide. */
  double periodPixels(int size) {
    return PERIODS[period] * size;
  }
}
