package dev.viaspark.toy;

/**
 * One solid shape of a scene at one instant, in scene coordinates: the frame is the unit square, x
 * to the right and y down (a non-square frame stretches the scene).
 *
 * @param x centre, 0..1
 * @param y centre, 0..1
 * @param size half-extent: half the side of a square, the radius of a circle
 */
public record ToyShape(ShapeKind kind, ToyColor colour, double x, double y, double size) {
  public ToyShape {
    if (!(size > 0)) throw new IllegalArgumentException("size = " + size + ": must be > 0");
  }

  /** Whether the shape covers the scene point (u, v). */
  public boolean covers(double u, double v) {
    return kind.covers(u - x, v - y, size);
  }

  public ToyShape withColour(ToyColor c) {
    return new ToyShape(kind, c, x, y, size);
  }
}
