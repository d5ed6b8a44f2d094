package dev.viaspark.via;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.metrics.MotionWarp;
import dev.viaspark.video.VideoFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuideBankTest {
  private static final int SIZE = MovingSquare.SIZE;
  private static final int FRAMES = MovingSquare.FRAMES;

  @TempDir Path dir;

  private static VideoFrame source(int index) {
    return MovingSquare.source(index);
  }

  private static VideoFrame edited(int index) {
    return MovingSquare.edited(index);
  }

  private GuideBank bank(int... guideIndices) throws Exception {
    List<VideoFrame> guides = new ArrayList<>(), sources = new ArrayList<>();
    for (int g : guideIndices) {
      guides.add(edited(g));
      sources.add(source(g));
    }
    GuideBank.write(dir, guides, sources);
    return GuideBank.read(dir);
  }

  @Test
  void aFrameComesOutTheSameWhereverItsSessionStarts() throws Exception {
    GuideBank bank = bank(0, 7);
    GuideBank.Carrier inOrder = bank.carrier(GuideBankTest::source);
    List<VideoFrame> all = new ArrayList<>();
    for (int t = 0; t < FRAMES; t++) all.add(inOrder.carry(source(t)));
    for (int start = 1; start < FRAMES; start++) {
      GuideBank.Carrier fresh = bank.carrier(GuideBankTest::source);
      for (int t = start; t < FRAMES; t++) {
        VideoFrame f = fresh.carry(source(t));
        assertEquals(t, f.index());
        assertArrayEquals(all.get(t).rgb(), f.rgb(), "frame " + t + ", session from " + start);
      }
    }
    assertArrayEquals(edited(7).rgb(), all.get(7).rgb(), "a guide's own frame is the guide");
  }

  @Test
  void carryingFrameToFrameFollowsMotionThatOneLongJumpLoses() throws Exception {
    GuideBank bank = bank(0);
    GuideBank.Carrier carrier = bank.carrier(GuideBankTest::source);
    int last = FRAMES - 1;
    VideoFrame chained = carrier.carry(source(last));
    VideoFrame direct = MotionWarp.carry(edited(0), source(0), source(last));
    double chainedError = squareError(chained, last), directError = squareError(direct, last);
    assertTrue(
        chainedError < 0.5 * directError && chainedError < 30,
        "mean error over the moved square: chained " + chainedError + ", direct " + directError);
  }

  @Test
  void framesBeforeTheFirstGuideTakeItsEditDirectly() throws Exception {
    GuideBank bank = bank(5);
    VideoFrame f = bank.carrier(i -> source(i)).carry(source(3));
    assertArrayEquals(MotionWarp.carry(edited(5), source(5), source(3)).rgb(), f.rgb());
  }

  /** Mean absolute difference from the exact edit over the square at frame {@code t}. */
  private static double squareError(VideoFrame f, int t) {
    byte[] want = edited(t).rgb(), got = f.rgb();
    long sum = 0;
    int n = 0;
    int x0 = MovingSquare.left(t), y0 = MovingSquare.TOP;
    for (int y = y0; y < y0 + 10; y++) {
      for (int x = x0; x < x0 + 10; x++) {
        for (int c = 0; c < 3; c++) {
          int p = 3 * (y * SIZE + x) + c;
          sum += Math.abs((want[p] & 0xff) - (got[p] & 0xff));
          n++;
        }
      }
    }
    return (double) sum / n;
  }
}
