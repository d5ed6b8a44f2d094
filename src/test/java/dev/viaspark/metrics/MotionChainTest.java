package dev.viaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

  @Test
  void itsFirstStepIsOneCarry() {
    VideoFrame edited = frame(0, 8, true), source = frame(0, 8, false), next = frame(1, 10, false);
    MotionChain chain = new MotionChain(edited, source);
    assertEquals(0, chain.index());
    VideoFrame carried = chain.next(next);
    assertEquals(1, chain.index());
    assertEquals(1, carried.index());
    assertArrayEquals(MotionWarp.carry(edited, source, next).rgb(), carried.rgb());
  }

  @Test
  void framesOfAnotherSizeAreRefused() {
    MotionChain chain = new MotionChain(frame(0, 8, true), frame(0, 8, false));
    VideoFrame small = new VideoFrame(1, W / 2, H, new byte[W / 2 * H * 3]);
    assertThrows(IllegalArgumentException.class, () -> chain.next(small));
  }
}
