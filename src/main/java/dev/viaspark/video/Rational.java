package dev.viaspark.video;

import java.io.Serializable;

/** An exact fraction, as FFmpeg keeps frame rates and time bases. */
public record Rational(int num, int den) implements Serializable {
  public Rational {
    if (den == 0) throw new IllegalArgumentException("denominator is 0");
  }

  public double value() {
    return (double) num / den;
  }

  @Override
  public String toString() {
    return num + "/" + den;
  }
}
