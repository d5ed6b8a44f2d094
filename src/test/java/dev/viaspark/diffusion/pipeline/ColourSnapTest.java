package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A found mask's one-latent margin follows the source's colours. */
class ColourSnapTest {
  private static final int F = 4;

  /** A 3 x 3 latent grid of grey pixels with a white square over [y0, y1) x [x0, x1). */
  private static float[] greyWithWhiteSquare(int y0, int y1, int x0, int x1) {
    int side = 3 * F, n = side * side;
    float[] rgb = new float[3 * n];
    for (int p = 0; p < n; p++) {
      int y = p / side, x = p % side;
      boolean white = y >= y0 && y < y1 && x >= x0 && x < x1;
      for (int c = 0; c < 3; c++) rgb[c * n + p] = white ? 1f : -0.5f;
    }
    return rgb;
  }

  @Test
  void aBackgroundEditKeepsTheShapeItsMarginReachesInto() {
    // the background's latents passed, the centre one (the shape) did not; dilation took it too
    float[] core = {1, 1, 1, 1, 0, 1, 1, 1, 1};
    float[] dilated = new float[9];
    Arrays.fill(dilated, 1f);
    // the white square spills one pixel beyond the centre latent on each side
    float[] rgb = greyWithWhiteSquare(F - 1, 2 * F + 1, F - 1, 2 * F + 1);
    float[] mask = ColourSnap.snap(core, dilated, 3, 3, F, rgb);
    int side = 3 * F;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        boolean white = y >= F - 1 && y < 2 * F + 1 && x >= F - 1 && x < 2 * F + 1;
        boolean centre = y >= F && y < 2 * F && x >= F && x < 2 * F;
        // the core's latents may change whole (their white rim included); the margin by colour
        float expected = centre ? (white ? 0f : 1f) : 1f;
        assertEquals(expected, mask[y * side + x], "pixel " + y + "," + x);
      }
    }
  }

  @Test
  void aShapeEditTakesTheMarginPixelsOfTheShapesColourOnly() {
    // the shape's latent passed; the margin around it is background except where the shape spills
    float[] core = {0, 0, 0, 0, 1, 0, 0, 0, 0};
    float[] dilated = new float[9];
    Arrays.fill(dilated, 1f);
    float[] rgb = greyWithWhiteSquare(F - 1, 2 * F + 1, F - 1, 2 * F + 1);
    float[] mask = ColourSnap.snap(core, dilated, 3, 3, F, rgb);
    int side = 3 * F;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        boolean white = y >= F - 1 && y < 2 * F + 1 && x >= F - 1 && x < 2 * F + 1;
        assertEquals(white ? 1f : 0f, mask[y * side + x], "pixel " + y + "," + x);
      }
    }
  }

  @Test
  void withoutColoursToTellApartTheMarginMayChangeAndOutsideTheMarginNothing() {
    float[] core = {0, 0, 0, 0, 1, 0, 0, 0, 0};
    float[] dilated = {0, 0, 0, 0, 1, 1, 0, 1, 1};
    float[] flat = new float[3 * 9 * F * F];
    float[] mask = ColourSnap.snap(core, dilated, 3, 3, F, flat);
    float[] expected = new float[9 * F * F];
    for (int p = 0; p < expected.length; p++) {
      int latent = (p / (3 * F) / F) * 3 + (p % (3 * F)) / F;
      expected[p] = dilated[latent];
    }
    assertArrayEquals(expected, mask);
  }
}
