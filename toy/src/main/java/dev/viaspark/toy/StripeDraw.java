package dev.viaspark.toy;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How the stripes of "add stripes to the background" are drawn for an example. Held-out examples
 * and benchmarks always draw {@link #ANY}; a training run may draw {@link #ONE}, so that a small
 * model learns to paint straight bands before it must choose among orientations, periods and phases
 * (one that has to choose early paints a maze of bands, their average). The colour is drawn either
 * way, so the instruction still has several right results.
 */
public enum StripeDraw {
  /** Any of {@link StripePattern}'s orientations and periods, at any phase. */
  ANY,
  /** Always {@link #ONE_PATTERN}. */
  ONE;

  /** The geometry of {@link #ONE}: 45 degrees, a 12-pixel period at 64x64, phase 0. */
  public static final StripePattern ONE_PATTERN = new StripePattern(3, 2, 0);

  /** The stripes of one example. */
  StripePattern draw(SplittableRandom rng) {
    return this == ONE ? ONE_PATTERN : StripePattern.draw(rng);
  }

  /** The name a command line or a saved run gives it: {@code any} or {@code one}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The draw named {@code word}.
   *
   * @throws IllegalArgumentException naming the word and the choices
   */
  public static StripeDraw of(String word) {
    for (StripeDraw d : values()) if (d.word().equals(word)) return d;
    throw new IllegalArgumentException("stripes '" + word + "': expected any or one");
  }
}
