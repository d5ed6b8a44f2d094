package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;
import java.util.List;

/**
 * Draws toy scenes without anti-aliasing: a pixel shows whatever covers its centre, so every pixel
 * belongs to exactly one shape or to the background and masks are exact.
 */
public final class ToyRenderer {
  /** {@link #owners} value of a pixel that shows the background. */
  public static final int BACKGROUND = -1;

  private ToyRenderer() {}

  /**
   * For each pixel (row-major), the index in {@link ToyScene#shapes()} of the front-most shape that
   * covers its centre, or {@link #BACKGROUND}.
   */
  public static int[] owners(ToyScene scene, int width, int height) {
    checkSize(width, height);
    List<ToyShape> shapes = scene.shapes();
    int[] out = new int[width * height];
    for (int y = 0; y < height; y++) {
      double v = (y + 0.5) / height;
      for (int x = 0; x < width; x++) {
        double u = (x + 0.5) / width;
        int owner = BACKGROUND;
        for (int i = shapes.size() - 1; i >= 0 && owner == BACKGROUND; i--) {
          if (shapes.get(i).covers(u, v)) owner = i;
        }
        out[y * width + x] = owner;
      }
    }
    return out;
  }

  /**
   * The scene under {@code lighting} as packed RGB (every pixel's colour times lighting, rounded,
   * clamped).
   */
  public static VideoFrame render(
      ToyScene scene, double lighting, int index, int width, int height) {
    int[] owners = owners(scene, width, height);
    byte[] rgb = new byte[width * height * 3];
    for (int p = 0; p < owners.length; p++) {
      Rgb c =
          owners[p] == BACKGROUND
              ? scene.background().colourAt((p % width + 0.5) / width, (p / width + 0.5) / height)
              : scene.shapes().get(owners[p]).colour().rgb();
      Rgb lit = c.lit(lighting);
      rgb[3 * p] = (byte) lit.r();
      rgb[3 * p + 1] = (byte) lit.g();
      rgb[3 * p + 2] = (byte) lit.b();
    }
    return new VideoFrame(index, width, height, rgb);
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1) throw new IllegalArgumentException("size " + width + "x" + height);
  }
}
