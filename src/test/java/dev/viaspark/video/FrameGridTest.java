package dev.viaspark.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameGridTest {
  @TempDir File dir;

  /** A 2x1 frame whose pixels are (v, 0, 0) and (0, v, 0). */
  private static VideoFrame frame(int v) {
    return new VideoFrame(0, 2, 1, new byte[] {(byte) v, 0, 0, 0, (byte) v, 0});
  }

  private static List<VideoFrame> row(int... values) {
    List<VideoFrame> row = new ArrayList<>();
    for (int v : values) row.add(frame(v));
    return row;
  }

  private static byte[] pixel(VideoFrame f, int x, int y) {
    int i = (y * f.width() + x) * 3;
    return new byte[] {f.rgb()[i], f.rgb()[i + 1], f.rgb()[i + 2]};
  }

  @Test
  void drawsEvenlySpacedFramesOfEachRowEnlargedBetweenWhiteGaps() throws Exception {
    File image = new File(dir, "grid.png");
    FrameGrid.write(List.of(row(10, 20, 30, 40, 50), row(60, 70, 80, 90, 100)), 3, 2, image);
    VideoFrame grid = ImageFiles.read(image);
    int g = FrameGrid.GAP, w = 4, h = 2; // a 2x1 frame enlarged twice
    assertEquals(3 * w + 4 * g, grid.width());
    assertEquals(2 * h + 3 * g, grid.height());
    assertArrayEquals(new byte[] {-1, -1, -1}, pixel(grid, 0, 0), "a gap is white");
    // tiles show frames 0, 2 and 4; row 1 starts one gap below row 0's bottom
    int[] shown = {10, 30, 50}, below = {60, 80, 100};
    for (int k = 0; k < 3; k++) {
      int left = g + k * (w + g);
      assertArrayEquals(new byte[] {(byte) shown[k], 0, 0}, pixel(grid, left + 1, g + 1));
      assertArrayEquals(new byte[] {0, (byte) shown[k], 0}, pixel(grid, left + 2, g));
      assertArrayEquals(new byte[] {(byte) below[k], 0, 0}, pixel(grid, left, 2 * g + h + 1));
    }
  }

  @Test
  void refusesRowsOfDifferentLengths() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FrameGrid.write(List.of(row(1, 2), row(3)), 2, 1, new File(dir, "g.png")));
    assertEquals("rows of 2 and 1 frames: a grid's rows are equally long", e.getMessage());
  }
}
