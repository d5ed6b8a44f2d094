package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A found mask keeps the one region its words are most attended to in, not every region above the
 * threshold.
 */
class StrongestRegionTest {
  // two regions above the threshold: a bright small one (left) and a fainter larger one (right),
  // which holds more evidence in all
  private static final float[] ABOVE = {
    1, 1, 0, 0, 0,
    1, 0, 0, 1, 1,
    0, 0, 0, 1, 1,
    0, 0, 0, 0, 1,
  };
  private static final float[] EVIDENCE = {
    .9f, .9f, 0, 0, 0, .9f, 0, 0, .7f, .7f, 0, 0, 0, .7f, .7f, 0, 0, 0, 0, .7f,
  };
  private static final float[] LEFT = {
    1, 1, 0, 0, 0,
    1, 0, 0, 0, 0,
    0, 0, 0, 0, 0,
    0, 0, 0, 0, 0,
  };
  private static final float[] RIGHT = {
    0, 0, 0, 0, 0,
    0, 0, 0, 1, 1,
    0, 0, 0, 1, 1,
    0, 0, 0, 0, 1,
  };

  @Test
  void theRegionWithTheHighestMeanStaysAndTheOthersGo() {
    assertArrayEquals(LEFT, StrongestRegion.keep(ABOVE, EVIDENCE, 4, 5));
  }

  /** A frame keeps the region its anchor kept (the prior), even where another is stronger. */
  @Test
  void aPriorPicksTheRegionItOverlapsMost() {
    float[] prior = new float[20];
    prior[14] = 0.5f; // the right region's edge, carried from an anchor where it moved
    prior[15] = 1f; // and a cell outside both (within one cell of the right region's others)
    assertArrayEquals(RIGHT, StrongestRegion.keep(ABOVE, EVIDENCE, prior, 4, 5));
    prior[0] = 0.5f; // overlapping both equally: the mean decides again
    assertArrayEquals(LEFT, StrongestRegion.keep(ABOVE, EVIDENCE, prior, 4, 5));
    assertArrayEquals(LEFT, StrongestRegion.keep(ABOVE, EVIDENCE, new float[20], 4, 5));
  }

  /**
   * A frame none of whose regions overlaps the prior keeps the cells the prior mostly covers, not
   * its strongest region (which would edit another thing in this frame alone).
   */
  @Test
  void withoutOverlapThePriorItselfIsKept() {
    float[] prior = new float[20];
    prior[16] = 1f;
    prior[17] = 0.6f;
    prior[11] = 0.4f;
    float[] kept = StrongestRegion.keep(ABOVE, EVIDENCE, prior, 4, 5);
    float[] expected = new float[20];
    expected[16] = 1;
    expected[17] = 1;
    assertArrayEquals(expected, kept);
  }

  /**
   * A frame whose evidence is flat (everything above the threshold, one region) keeps only the
   * cells next to the prior's, not the whole frame.
   */
  @Test
  void aRegionFarLargerThanThePriorIsCutToItsNeighbourhood() {
    float[] all = new float[20];
    Arrays.fill(all, 1f);
    float[] prior = new float[20];
    prior[0] = 0.8f;
    prior[1] = 0.2f; // less than half: not covered, but within one cell
    float[] expected = new float[20];
    for (int p : new int[] {0, 1, 5, 6}) expected[p] = 1;
    assertArrayEquals(expected, StrongestRegion.keep(all, all, prior, 4, 5));
    // a prior that covers no cell by half is no prior
    prior[0] = 0.3f;
    assertArrayEquals(all, StrongestRegion.keep(all, all, prior, 4, 5));
  }

  @Test
  void diagonalNeighboursAreOneRegionAndAnEmptyMapStaysEmpty() {
    float[] diagonal = {1, 0, 0, 1};
    assertArrayEquals(diagonal, StrongestRegion.keep(diagonal, diagonal, 2, 2));
    float[] empty = new float[4];
    assertArrayEquals(empty, StrongestRegion.keep(empty, empty, 2, 2));
  }
}
