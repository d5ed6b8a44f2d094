package dev.viaspark.toy;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * The kinds of toy instruction. Each is learned separately (finding a named shape, replacing the
 * background, a per-pixel transform), so the sampler draws them with fixed odds and the benchmarks
 * score each on its own.
 */
public enum ToyFamily {
  /** "make the {shape} {colour}": recolour one shape, keep the rest. */
  SHAPE(0.4),
  /** "make the background {colour}". */
  BACKGROUND(0.2),
  /** "make it grayscale". */
  GRAYSCALE(0.15),
  /** "invert the colours". */
  INVERT(0.1),
  /** "add stripes to the background": the one family with many right results. */
  PATTERN(0.15);

  private final double weight;

  ToyFamily(double weight) {
    this.weight = weight;
  }

  /**
   * The family's share of sampled examples. Shape edits are the hard part (bind the word to one
   * shape, keep the others) and get the most; drawing families with fixed odds keeps grayscale,
   * which the visibility filter often rejects, from being starved as it was when families were
   * drawn by kind (2.5% of examples). Inversion, which model v2 learned completely at 0.2, gets the
   * least.
   */
  public double weight() {
    return weight;
  }

  /**
   * Whether an instruction of this family has exactly one right result (all but {@link #PATTERN}).
   */
  public boolean oneRightResult() {
    return this != PATTERN;
  }

  /**
   * The family's name in reports: {@code shape}, {@code background}, {@code grayscale}, {@code
   * invert}, {@code pattern}.
   */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The family whose {@link #word()} this is, in any case; null for none. */
  public static ToyFamily ofWord(String word) {
    for (ToyFamily f : values()) {
      if (f.word().equals(word.toLowerCase(Locale.ROOT))) return f;
    }
    return null;
  }

  /** Every family's word, comma separated: what an error about an unknown family lists. */
  public static String words() {
    StringJoiner all = new StringJoiner(", ");
    for (ToyFamily f : values()) all.add(f.word());
    return all.toString();
  }
}
