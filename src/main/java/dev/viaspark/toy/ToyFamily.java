package dev.viaspark.toy;

import java.util.Locale;

/**
 * The kinds of toy instruction. Each is learned separately (finding a named shape, replacing the background, a
 * per-pixel transform), so the sampler draws them with fixed odds and the benchmarks score each on its own.
 */
public enum ToyFamily {
  /** "make the {shape} {colour}": recolour one shape, keep the rest. */
  SHAPE(0.4),
  /** "make the background {colour}". */
  BACKGROUND(0.2),
  /** "make it grayscale". */
  GRAYSCALE(0.2),
  /** "invert the colours". */
  INVERT(0.2);

  private final double weight;

  ToyFamily(double weight) {
    this.weight = weight;
  }

  /**
   * The family's share of sampled examples. Shape edits are the hard part (bind the word to one shape, keep the
   * others) and get the most; the rest share equally, so that grayscale, which the visibility filter often rejects,
   * is not starved as it was when families were drawn by kind (2.5% of examples).
   */
  public double weight() {
    return weight;
  }

  /** The family's name in reports: {@code shape}, {@code background}, {@code grayscale}, {@code invert}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
