package dev.viaspark.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmentPlannerTest {
  @Test
  void cutsAtTheKeyframeNearestTheTarget() {
    // keyframes every 25 frames, target 60: nearest to 60 is 50, then nearest to 110 is 100
    assertArrayEquals(
        new int[] {0, 50, 100, 150, 175},
        SegmentPlanner.cuts(175, new int[] {0, 25, 50, 75, 100, 125, 150}, 60));
  }

  @Test
  void sparseKeyframesGiveLongerSegmentsNeverANonKeyframeCut() {
    assertArrayEquals(new int[] {0, 300, 500}, SegmentPlanner.cuts(500, new int[] {0, 300}, 50));
  }

  @Test
  void oneKeyframeIsOneSegment() {
    assertArrayEquals(new int[] {0, 40}, SegmentPlanner.cuts(40, new int[] {0}, 10));
  }

  @Test
  void leadingFramesBeforeTheFirstKeyframeBelongToSegmentZero() {
    assertArrayEquals(new int[] {0, 12, 40}, SegmentPlanner.cuts(40, new int[] {2, 12}, 10));
  }

  @Test
  void everyFrameIsInExactlyOneSegmentForRandomLayouts() {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 500; trial++) {
      int frames = 1 + rnd.nextInt(2000);
      int[] keys = rnd.ints(1 + rnd.nextInt(40), 0, frames).sorted().distinct().toArray();
      int target = 1 + rnd.nextInt(300);
      int[] cuts = SegmentPlanner.cuts(frames, keys, target);
      assertEquals(0, cuts[0]);
      assertEquals(frames, cuts[cuts.length - 1]);
      for (int i = 1; i < cuts.length; i++) {
        if (cuts[i] <= cuts[i - 1])
          throw new AssertionError("cuts not increasing: " + Arrays.toString(cuts));
        if (i < cuts.length - 1 && Arrays.binarySearch(keys, cuts[i]) < 0) {
          throw new AssertionError("cut " + cuts[i] + " is not a keyframe");
        }
      }
    }
  }

  @Test
  void planCarriesSeekTimestamps() {
    VideoInfo info =
        new VideoInfo(
            "f.mp4",
            "mp4",
            4,
            "h264",
            8,
            8,
            new Rational(25, 1),
            new Rational(1, 12800),
            100,
            -1024,
            new int[] {0, 50},
            new long[] {-1024, 24576},
            0,
            null,
            null,
            0,
            0,
            0,
            List.of(),
            100,
            8);
    List<Segment> plan = SegmentPlanner.plan(info, 50);
    assertEquals(List.of(new Segment(0, 0, 50, -1024), new Segment(1, 50, 100, 24576)), plan);
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> SegmentPlanner.cuts(0, new int[] {0}, 10));
    assertThrows(IllegalArgumentException.class, () -> SegmentPlanner.cuts(10, new int[] {0}, 0));
  }
}
