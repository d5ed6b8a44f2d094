package dev.viaspark.toy;

/**
 * A slow global lighting change: every pixel of frame t is multiplied by {@code base + amplitude *
 * sin(2 pi t / period + phase)} (then rounded and clamped).
 *
 * @param period frames per cycle; long against the amplitude so that consecutive frames differ
 *     little
 */
public record ToyLighting(double base, double amplitude, double period, double phase) {
  /** Lighting that never changes and leaves colours as they are. */
  public static final ToyLighting CONSTANT = new ToyLighting(1, 0, 1, 0);

  public ToyLighting {
    if (!(period > 0)) throw new IllegalArgumentException("period = " + period + ": must be > 0");
  }

  /** The factor at frame t. */
  public double at(int t) {
    return base + amplitude * Math.sin(2 * Math.PI * t / period + phase);
  }
}
