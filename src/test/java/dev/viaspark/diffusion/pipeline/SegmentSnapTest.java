package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A found mask drawn along the source's own regions. */
class SegmentSnapTest {
  private static final int F = 4, LATENTS = 6, SIDE = LATENTS * F;

  /** A grey background with a white square at pixels 5-12 (it straddles latents 1 to 3). */
  private static float[] greyWithWhiteSquare() {
    int n = SIDE * SIDE;
    float[] rgb = new float[3 * n];
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < 3; c++) rgb[c * n + p] = white(p / SIDE, p % SIDE) ? 1f : -0.5f;
    }
    return rgb;
  }

  private static boolean white(int y, int x) {
    return y >= 5 && y < 13 && x >= 5 && x < 13;
  }

  private static float[] core(int... latents) {
    float[] core = new float[LATENTS * LATENTS];
    for (int l : latents) core[l] = 1f;
    return core;
  }

  private static void assertMask(boolean squareChanges, boolean backgroundChanges, float[] mask) {
    for (int p = 0; p < mask.length; p++) {
      boolean changes = white(p / SIDE, p % SIDE) ? squareChanges : backgroundChanges;
      assertEquals(changes ? 1f : 0f, mask[p], "pixel " + p);
    }
  }

  @Test
  void aShapeFoundInPartChangesWholeAndTheBackgroundAroundItStays() {
    // one latent (pixels 8-11 both ways) of the square's nine partly covered ones: a quarter of
    // the square, and of the background almost nothing
    float[] mask =
        SegmentSnap.snap(core(2 * LATENTS + 2), LATENTS, LATENTS, F, greyWithWhiteSquare());
    assertMask(true, false, mask);
  }

  @Test
  void aBackgroundFoundWithPartOfTheShapeChangesAndTheShapeStays() {
    // every latent but the nine the square touches, and one of those: most of the background and
    // a corner of the square (9 of its 64 pixels)
    int[] latents = new int[LATENTS * LATENTS - 8];
    for (int l = 0, i = 0; l < LATENTS * LATENTS; l++) {
      int y = l / LATENTS, x = l % LATENTS;
      if (y < 1 || y > 3 || x < 1 || x > 3 || (y == 1 && x == 1)) latents[i++] = l;
    }
    float[] mask = SegmentSnap.snap(core(latents), LATENTS, LATENTS, F, greyWithWhiteSquare());
    assertMask(false, true, mask);
  }

  @Test
  void nothingFoundChangesNothing() {
    assertMask(false, false, SegmentSnap.snap(core(), LATENTS, LATENTS, F, greyWithWhiteSquare()));
  }
}
