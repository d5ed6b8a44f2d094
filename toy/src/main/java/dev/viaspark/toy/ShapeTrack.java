package dev.viaspark.toy;

/**
 * How one shape moves through a toy video: its centre goes at constant velocity and bounces off the
 * frame's edges, and its size breathes slowly around {@code size}. The bounce keeps the centre
 * {@link #maxSize()} away from every edge, so the shape is always entirely inside the frame.
 *
 * @param vx velocity, scene units per frame
 * @param vy velocity, scene units per frame
 * @param scaleAmplitude relative size change, size(t) = size * (1 + scaleAmplitude * sin(2 pi t /
 *     scalePeriod + scalePhase)); below 1
 */
public record ShapeTrack(
    ShapeKind kind,
    ToyColor colour,
    double x0,
    double y0,
    double vx,
    double vy,
    double size,
    double scaleAmplitude,
    double scalePeriod,
    double scalePhase) {
  public ShapeTrack {
    if (!(size > 0) || scaleAmplitude < 0 || scaleAmplitude >= 1 || !(scalePeriod > 0)) {
      throw new IllegalArgumentException(
          "size "
              + size
              + ", scale amplitude "
              + scaleAmplitude
              + ", period "
              + scalePeriod
              + ": need size > 0, 0 <= amplitude < 1, period > 0");
    }
    if (maxSize() >= 0.5)
      throw new IllegalArgumentException("a shape of half-extent " + maxSize() + " cannot fit");
  }

  /** The largest half-extent the shape reaches. */
  public double maxSize() {
    return size * (1 + scaleAmplitude);
  }

  /** The shape at frame t. */
  public ToyShape at(int t) {
    double s = size * (1 + scaleAmplitude * Math.sin(2 * Math.PI * t / scalePeriod + scalePhase));
    return new ToyShape(kind, colour, bounce(x0 + vx * t), bounce(y0 + vy * t), s);
  }

  /** The free path folded back into [m, 1 - m] as a ball bouncing between two walls would be. */
  private double bounce(double p) {
    double lo = maxSize();
    double span = 1 - 2 * lo;
    double q = ((p - lo) % (2 * span) + 2 * span) % (2 * span);
    return lo + (q <= span ? q : 2 * span - q);
  }
}
