package dev.viaspark.toy;

import java.util.Locale;

/**
 * The kinds of toy shapes. Each fits in the square of half-side {@code size} around its centre, so
 * that a shape kept that far from the frame's edges is entirely inside it.
 */
public enum ShapeKind {
  SQUARE {
    @Override
    boolean covers(double dx, double dy, double size) {
      return Math.abs(dx) <= size && Math.abs(dy) <= size;
    }
  },
  CIRCLE {
    @Override
    boolean covers(double dx, double dy, double size) {
      return dx * dx + dy * dy <= size * size;
    }
  },
  /** Apex up, base down, both on the bounding square. */
  TRIANGLE {
    @Override
    boolean covers(double dx, double dy, double size) {
      return dy >= -size && dy <= size && Math.abs(dx) <= (dy + size) / 2;
    }
  };

  /**
   * Whether the point at offset (dx, dy) from the centre is inside a shape of half-extent {@code
   * size}.
   */
  abstract boolean covers(double dx, double dy, double size);

  /** The word the instruction grammar uses ("square"). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind whose {@link #word()} is {@code word}, or null. */
  public static ShapeKind ofWord(String word) {
    for (ShapeKind k : values()) {
      if (k.word().equals(word)) return k;
    }
    return null;
  }
}
