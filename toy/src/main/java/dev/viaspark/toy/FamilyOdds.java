package dev.viaspark.toy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * The odds with which the sampler draws each {@link ToyFamily}. {@link #STANDARD} (each family's
 * {@link ToyFamily#weight()}) makes the held-out examples every benchmark scores; a training run
 * may draw its own examples with other odds, to spend its steps on the families a model fails, or
 * to leave out one its vocabulary cannot say.
 */
public final class FamilyOdds {
  /** The sampler's own odds: {@link ToyFamily#weight()}. */
  public static final FamilyOdds STANDARD =
      new FamilyOdds(Arrays.stream(ToyFamily.values()).mapToDouble(ToyFamily::weight).toArray());

  private final double[] weights;

  private FamilyOdds(double[] weights) {
    this.weights = weights;
  }

  /**
   * Odds written as {@code family=weight,...} with the families' report names ({@link
   * ToyFamily#word()}), e.g. {@code shape=0.6,background=0.3,grayscale=0.1}. A family not named is
   * never drawn; the weights are scaled to sum to 1.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static FamilyOdds parse(String text) {
    double[] w = new double[ToyFamily.values().length];
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "family odds '" + text + "': '" + part + "' is not family=weight");
      }
      ToyFamily family = byWord(kv[0].trim(), text);
      double weight;
      try {
        weight = Double.parseDouble(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "family odds '" + text + "': weight '" + kv[1] + "' is not a number");
      }
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException(
            "family odds '" + text + "': weight of " + family.word() + " must be 0 or more");
      }
      w[family.ordinal()] = weight;
    }
    return normalised(w, "family odds '" + text + "'");
  }

  private static ToyFamily byWord(String word, String text) {
    ToyFamily family = ToyFamily.ofWord(word);
    if (family != null) return family;
    throw new IllegalArgumentException(
        "family odds '"
            + text
            + "': no family '"
            + word
            + "' (families: "
            + ToyFamily.words()
            + ")");
  }

  private static FamilyOdds normalised(double[] w, String what) {
    double sum = Arrays.stream(w).sum();
    if (!(sum > 0)) throw new IllegalArgumentException(what + ": every weight is 0");
    return new FamilyOdds(Arrays.stream(w).map(v -> v / sum).toArray());
  }

  /** These odds with {@code families} never drawn and the others' shares scaled up to match. */
  public FamilyOdds without(Set<ToyFamily> families) {
    if (families.isEmpty()) return this;
    double[] w = weights.clone();
    for (ToyFamily f : families) w[f.ordinal()] = 0;
    return normalised(w, "family odds " + this + " without " + families);
  }

  public double weight(ToyFamily family) {
    return weights[family.ordinal()];
  }

  /** A family, from one draw of {@code rng}. */
  public ToyFamily draw(SplittableRandom rng) {
    double pick = rng.nextDouble();
    ToyFamily last = null;
    for (ToyFamily f : ToyFamily.values()) {
      if (weights[f.ordinal()] == 0) continue;
      if (pick < weights[f.ordinal()]) return f;
      pick -= weights[f.ordinal()];
      last = f;
    }
    return last;
  }

  /** {@code family=weight,...} over the families drawn; {@link #parse} reads it back. */
  @Override
  public String toString() {
    StringJoiner s = new StringJoiner(",");
    for (ToyFamily f : ToyFamily.values()) {
      if (weights[f.ordinal()] > 0) {
        s.add(f.word() + "=" + String.format(Locale.ROOT, "%.4g", weights[f.ordinal()]));
      }
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FamilyOdds other && Arrays.equals(weights, other.weights);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights);
  }
}
