package dev.viaspark.toy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The named colours of the toy domain, pure and far apart: the closest pair (orange and red or
 * yellow) is 127 apart in RGB. Shapes take any colour but {@link #BLACK}; a background edit can
 * take any.
 */
public enum ToyColor {
  RED(255, 0, 0),
  GREEN(0, 255, 0),
  BLUE(0, 0, 255),
  YELLOW(255, 255, 0),
  WHITE(255, 255, 255),
  MAGENTA(255, 0, 255),
  CYAN(0, 255, 255),
  ORANGE(255, 128, 0),
  BLACK(0, 0, 0);

  private static final List<ToyColor> SHAPE_COLOURS =
      Arrays.stream(values()).filter(c -> c != BLACK).toList();

  private final Rgb rgb;

  ToyColor(int r, int g, int b) {
    this.rgb = new Rgb(r, g, b);
  }

  public Rgb rgb() {
    return rgb;
  }

  /** The word the instruction grammar uses ("red"). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The colours a shape may have. */
  public static List<ToyColor> shapeColours() {
    return SHAPE_COLOURS;
  }

  /** The colour whose {@link #word()} is {@code word}, or null. */
  public static ToyColor ofWord(String word) {
    for (ToyColor c : values()) {
      if (c.word().equals(word)) return c;
    }
    return null;
  }
}
