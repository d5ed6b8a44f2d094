package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A found mask's one-latent margin follows the source's colours. */
class ColourSnapTest {
  private static final int F = 4;

  /** A 3 x 3 latent grid of grey pixels with the white square over its centre. */
  private static float[] greyWithWhiteSquare() {
    int side = 3 * F, n = side * side;
    float[] rgb = new float[3 * n];
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < 3; c++) rgb[c * n + p] = white(p / side, p % side) ? 1f : -0.5f;
    }
    return rgb;
  }

  /** The white square spills one pixel beyond the centre latent on each side. */
  private static boolean white(int y, int x) {
    return y >= F - 1 && y < 2 * F + 1 && x >= F - 1 && x < 2 * F + 1;
  }

  /** The snapped mask of a 3 x 3 latent grid dilated whole, with the white square drawn. */
  private static float[] snapDilatedWhole(float[] core) {
    float[] dilated = new float[9];
    Arrays.fill(dilated, 1f);
    return ColourSnap.snap(core, dilated, 3, 3, F, greyWithWhiteSquare());
  }

  @Test
  void aBackgroundEditKeepsTheShapeItsMarginReachesInto() {
    // the background's latents passed, the centre one (the shape) did not; dilation took it too
    float[] mask = snapDilatedWhole(new float[] {1, 1, 1, 1, 0, 1, 1, 1, 1});
    int side = 3 * F;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        boolean centre = y >= F && y < 2 * F && x >= F && x < 2 * F;
        // the core's latents may change whole (their white rim included); the margin by colour
        float expected = centre ? (white(y, x) ? 0f : 1f) : 1f;
        assertEquals(expected, mask[y * side + x], "pixel " + y + "," + x);
      }
    }
  }

  @Test
  void aShapeEditTakesTheMarginPixelsOfTheShapesColourOnly() {
    // the shape's latent passed; the margin around it is background except where the shape spills
    float[] mask = snapDilatedWhole(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0});
    int side = 3 * F;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        assertEquals(white(y, x) ? 1f : 0f, mask[y * side + x], "pixel " + y + "," + x);
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
