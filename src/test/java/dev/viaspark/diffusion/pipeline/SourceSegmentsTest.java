package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

/** The source's regions of similar colour, which a found mask is snapped to. */
class SourceSegmentsTest {
  private static final int SIDE = 32;

  /** An image whose every channel is {@code value(y, x)}, in [-1, 1]. */
  private static float[] grey(IntBinaryOperator level) {
    int n = SIDE * SIDE;
    float[] rgb = new float[3 * n];
    for (int p = 0; p < n; p++) {
      float v = level.applyAsInt(p / SIDE, p % SIDE) / 127.5f - 1f;
      for (int c = 0; c < 3; c++) rgb[c * n + p] = v;
    }
    return rgb;
  }

  private static boolean inSquare(int y, int x) {
    return y >= 10 && y < 20 && x >= 12 && x < 22;
  }

  @Test
  void aFlatSquareOnAFlatBackgroundIsTwoRegionsSplitAtItsEdge() {
    int[] labels = SourceSegments.of(grey((y, x) -> inSquare(y, x) ? 200 : 60), SIDE, SIDE);
    int square = labels[15 * SIDE + 15], background = labels[0];
    assertNotEquals(square, background);
    for (int p = 0; p < labels.length; p++) {
      assertEquals(inSquare(p / SIDE, p % SIDE) ? square : background, labels[p], "pixel " + p);
    }
  }

  @Test
  void aSmoothGradientAndALightTextureStayOneRegion() {
    int[] gradient = SourceSegments.of(grey((y, x) -> 40 + 5 * x), SIDE, SIDE);
    assertEquals(1, Arrays.stream(gradient).distinct().count());
    int[] texture = SourceSegments.of(grey((y, x) -> 100 + ((x + y) % 3) * 2), SIDE, SIDE);
    assertEquals(1, Arrays.stream(texture).distinct().count());
  }

  @Test
  void aSquareOnAGradientIsStillItsOwnRegion() {
    int[] labels = SourceSegments.of(grey((y, x) -> inSquare(y, x) ? 240 : 20 + 3 * x), SIDE, SIDE);
    int square = labels[15 * SIDE + 15];
    for (int p = 0; p < labels.length; p++) {
      assertEquals(inSquare(p / SIDE, p % SIDE), labels[p] == square, "pixel " + p);
    }
    assertEquals(2, Arrays.stream(labels).distinct().count());
  }

  @Test
  void aShapesRimOfBlendedColourAsACodecLeavesItIsPartOfTheShape() {
    int[] labels =
        SourceSegments.of(
            grey((y, x) -> inSquare(y, x) ? 200 : inRim(y, x) ? 150 : 60), SIDE, SIDE);
    int square = labels[15 * SIDE + 15];
    for (int p = 0; p < labels.length; p++) {
      int y = p / SIDE, x = p % SIDE;
      assertEquals(inSquare(y, x) || inRim(y, x), labels[p] == square, "pixel " + p);
    }
  }

  /** One pixel around the square. */
  private static boolean inRim(int y, int x) {
    return !inSquare(y, x) && y >= 9 && y < 21 && x >= 11 && x < 23;
  }

  @Test
  void labelsAreNumberedInReadingOrderAndRepeatable() {
    float[] image = grey((y, x) -> inSquare(y, x) ? 200 : 60);
    int[] labels = SourceSegments.of(image, SIDE, SIDE);
    assertEquals(0, labels[0]);
    assertEquals(1, labels[10 * SIDE + 12]);
    assertArrayEquals(labels, SourceSegments.of(image, SIDE, SIDE));
  }

  @Test
  void anImageOfTheWrongSizeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SourceSegments.of(new float[10], 2, 2));
  }
}
