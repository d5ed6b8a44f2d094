package dev.viaspark.toy;

/** An 8-bit RGB colour (each channel 0..255). */
public record Rgb(int r, int g, int b) {
  public Rgb {
    if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255) {
      throw new IllegalArgumentException("rgb(" + r + ", " + g + ", " + b + ") out of 0..255");
    }
  }

  /** The colour with each channel rounded and clamped to 0..255. */
  public static Rgb clamped(double r, double g, double b) {
    return new Rgb(clamp(r), clamp(g), clamp(b));
  }

  /**
   * This colour under a lighting factor: each channel times {@code lighting}, rounded, clamped to
   * 0..255.
   */
  public Rgb lit(double lighting) {
    return clamped(r * lighting, g * lighting, b * lighting);
  }

  /** Euclidean distance in RGB space (0..441). */
  public double distance(Rgb o) {
    return Math.sqrt(square(r - o.r) + square(g - o.g) + square(b - o.b));
  }

  static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static double square(double d) {
    return d * d;
  }
}
