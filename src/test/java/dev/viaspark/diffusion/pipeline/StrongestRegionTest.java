package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * A found mask keeps the one region its words are most attended to in, not every region above the
 * threshold.
 */
class StrongestRegionTest {
  @Test
  void theRegionWithTheHighestMeanStaysAndTheOthersGo() {
    // two regions above the threshold: a bright small one (left) and a fainter larger one (right),
    // which holds more evidence in all
    float[] above = {
      1, 1, 0, 0, 0,
      1, 0, 0, 1, 1,
      0, 0, 0, 1, 1,
      0, 0, 0, 0, 1,
    };
    float[] evidence = {
      .9f, .9f, 0, 0, 0, .9f, 0, 0, .7f, .7f, 0, 0, 0, .7f, .7f, 0, 0, 0, 0, .7f,
    };
    float[] kept = StrongestRegion.keep(above, evidence, 4, 5);
    assertArrayEquals(
        new float[] {
          1, 1, 0, 0, 0,
          1, 0, 0, 0, 0,
          0, 0, 0, 0, 0,
          0, 0, 0, 0, 0,
        },
        kept);
  }

  @Test
  void diagonalNeighboursAreOneRegionAndAnEmptyMapStaysEmpty() {
    float[] diagonal = {1, 0, 0, 1};
    assertArrayEquals(diagonal, StrongestRegion.keep(diagonal, diagonal, 2, 2));
    float[] empty = new float[4];
    assertArrayEquals(empty, StrongestRegion.keep(empty, empty, 2, 2));
  }
}
