package dev.viaspark.via;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnchorsTest {
  @Test
  void evenlySpreadFirstAndLastIncludedRoundedHalfUp() {
    assertArrayEquals(new int[] {0, 33, 66, 99}, Anchors.select(100, 4));
    assertArrayEquals(new int[] {0, 4, 7, 11}, Anchors.select(12, 4)); // 3.67 -> 4, 7.33 -> 7
    assertArrayEquals(new int[] {0, 5, 10}, Anchors.select(11, 3));
    assertArrayEquals(new int[] {0, 2}, Anchors.select(3, 2));
  }

  @Test
  void oneAnchorIsTheFirstFrameAndShortVideosUseEachFrameOnce() {
    assertArrayEquals(new int[] {0}, Anchors.select(500, 1));
    assertArrayEquals(new int[] {0, 1}, Anchors.select(2, 4));
    assertArrayEquals(new int[] {0}, Anchors.select(1, 4));
  }

  @Test
  void everyAnchorIsAFrameOfTheVideoInOrder() {
    for (int f = 1; f < 300; f += 7) {
      for (int n = 1; n <= 9; n++) {
        int[] a = Anchors.select(f, n);
        assertTrue(
            a[0] == 0 && a[a.length - 1] == (n == 1 ? 0 : f - 1), f + " frames, " + n + " anchors");
        for (int i = 1; i < a.length; i++) assertTrue(a[i] > a[i - 1]);
      }
    }
  }

  @Test
  void badCountsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Anchors.select(0, 4));
    assertThrows(IllegalArgumentException.class, () -> Anchors.select(10, 0));
  }
}
