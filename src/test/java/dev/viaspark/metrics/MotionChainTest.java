package dev.viaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import org.junit.jupiter.api.Test;

class MotionChainTest {
  private static final int W = 40;
  private static final int H = 32;

  /** A textured background with a bright square at {@code left}, red when edited. */
  private static VideoFrame frame(int index, int left, boolean red) {
    byte[] rgb = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean square = x >= left && x < left + 10 && y >= 10 && y < 20;
        for (int c = 0; c < 3; c++) {
          int v = square ? (red && c > 0 ? 30 : 230) : 80 + (x * 7 + y * 13) % 40;
          rgb[(y * W + x) * 3 + c] = (byte) v;
        }
      }
    }
    return new VideoFrame(index, W, H, rgb);
  }

  /**
   * Where the step's motion is trusted, the first step is one carry; elsewhere the edit is filled.
   */
  @Test
  void itsFirstStepIsOneCarryWhereTheMotionIsTrusted() {
    VideoFrame edited = frame(0, 8, true), source = frame(0, 8, false), next = frame(1, 10, false);
    MotionChain chain = new MotionChain(edited, source);
    assertEquals(0, chain.index());
    VideoFrame carried = chain.next(next);
    assertEquals(1, chain.index());
    assertEquals(1, carried.index());
    byte[] once = MotionWarp.carry(edited, source, next).rgb(), src = next.rgb();
    int same = 0, differ = 0;
    for (int i = 0; i < once.length; i++) {
      if (once[i] == src[i]) continue; // kept by the one carry: untrusted, or no edit there
      if (once[i] == carried.rgb()[i]) same++;
      else differ++;
    }
    assertTrue(same > 0 && differ == 0, same + " carried alike, " + differ + " not");
  }

  /**
   * "Make the background darker" carried over 12 frames while the square moves: the background it
   * uncovers has no motion to follow (it was hidden) and used to keep the source for good, a trail
   * behind the square. It now takes the edit of the background around it.
   */
  @Test
  void backgroundUncoveredByAMovingShapeTakesTheEdit() {
    MotionChain chain = new MotionChain(darkBackground(frame(0, 4, false)), frame(0, 4, false));
    VideoFrame last = null;
    for (int i = 1; i <= 12; i++) last = chain.next(frame(i, 4 + 2 * i, false));
    byte[] expected = darkBackground(frame(12, 28, false)).rgb(), got = last.rgb();
    int wrong = 0;
    for (int p = 0; p < W * H; p++) {
      int d = 0;
      for (int c = 3 * p; c < 3 * p + 3; c++) d += Math.abs((got[c] & 0xff) - (expected[c] & 0xff));
      if (d > 60) wrong++;
    }
    assertTrue(wrong <= 20, wrong + " pixels wrong");
  }

  /** The frame with every pixel darker than 200 made darker by 60. */
  private static VideoFrame darkBackground(VideoFrame f) {
    byte[] rgb = f.rgb().clone();
    for (int i = 0; i < rgb.length; i++)
      if ((rgb[i] & 0xff) < 200) rgb[i] = (byte) ((rgb[i] & 0xff) - 60);
    return f.withPixels(rgb);
  }

  /** A lost pixel takes the edit of its neighbours of its own source colour, not of the others. */
  @Test
  void aLostPixelTakesTheEditOfNeighboursOfItsColour() {
    int w = 5, h = 1;
    byte[] source = new byte[w * h * 3];
    float[] edit = new float[w * h * 3];
    for (int p = 0; p < w; p++) {
      boolean shape = p >= 3;
      for (int c = 0; c < 3; c++) {
        source[3 * p + c] = (byte) (shape ? 220 : 40);
        edit[3 * p + c] = shape ? -150 : 30;
      }
    }
    edit[6] = edit[7] = edit[8] = 0;
    boolean[] lost = {false, false, true, false, false};
    MotionChain.fillFromNeighbours(edit, 3, lost, source, w, h);
    assertEquals(30, edit[6], 0.5);
    lost = new boolean[] {true, true, true, true, true};
    float[] none = new float[w * h * 3];
    MotionChain.fillFromNeighbours(none, 3, lost, source, w, h);
    assertEquals(0, none[6], "no neighbour, no edit");
  }

  @Test
  void framesOfAnotherSizeAreRefused() {
    MotionChain chain = new MotionChain(frame(0, 8, true), frame(0, 8, false));
    VideoFrame small = new VideoFrame(1, W / 2, H, new byte[W / 2 * H * 3]);
    assertThrows(IllegalArgumentException.class, () -> chain.next(small));
  }
}
