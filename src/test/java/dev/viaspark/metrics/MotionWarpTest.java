package dev.viaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MotionWarpTest {
  private static final int W = 64;
  private static final int H = 48;

  /** A textured grey background with a white square whose left edge is at {@code left}. */
  private static VideoFrame frame(int index, int left, int[] squareColour) {
    byte[] rgb = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean square = x >= left && x < left + 16 && y >= 16 && y < 32;
        for (int c = 0; c < 3; c++) {
          int v = square ? squareColour[c] : 90 + (x * 7 + y * 13) % 40;
          rgb[(y * W + x) * 3 + c] = (byte) v;
        }
      }
    }
    return new VideoFrame(index, W, H, rgb);
  }

  @Test
  void anEditMovesWithTheContentItWasMadeOn() {
    int[] white = {240, 240, 240}, red = {220, 30, 30};
    VideoFrame source0 = frame(0, 20, white);
    VideoFrame edited0 = frame(0, 20, red);
    VideoFrame source1 = frame(1, 23, white); // the square moved 3 px right
    VideoFrame carried = MotionWarp.carry(edited0, source0, source1);
    assertEquals(1, carried.index());
    int redInside = 0, redLeftBehind = 0, movedOutside = 0, outside = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int p = (y * W + x) * 3;
        boolean square = x >= 23 && x < 39 && y >= 16 && y < 32;
        // columns only the moved square covers
        boolean interior = x >= 36 && x < 38 && y >= 19 && y < 29;
        int r = carried.rgb()[p] & 0xff, g = carried.rgb()[p + 1] & 0xff;
        if (interior && r > 180 && g < 80) redInside++;
        if (x >= 20 && x < 22 && y >= 19 && y < 29 && r > 180 && g < 80) redLeftBehind++;
        if (!square && Math.abs(r - (source1.rgb()[p] & 0xff)) > 2) movedOutside++;
        if (!square) outside++;
      }
    }
    assertEquals(20, redInside, "the square, where it now is and was not, is red");
    assertEquals(0, redLeftBehind, "where the square was and is no more, no red stays");
    assertTrue(movedOutside < outside / 20, movedOutside + " of " + outside + " outside moved");
  }

  @Test
  void theGuidesOwnFrameIsTheGuide() {
    VideoFrame source0 = frame(4, 20, new int[] {240, 240, 240});
    VideoFrame edited0 = frame(4, 20, new int[] {20, 200, 20});
    assertEquals(
        Arrays.toString(edited0.rgb()),
        Arrays.toString(MotionWarp.carry(edited0, source0, source0).rgb()));
  }
}
