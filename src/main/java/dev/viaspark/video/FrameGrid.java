package dev.viaspark.video;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A picture of frame lists side by side: one row per list (a source above its edits), a few frames
 * spread evenly over each, enlarged by a whole factor with square pixels (small videos stay crisp)
 * and separated by white gaps.
 */
public final class FrameGrid {
  public static final int GAP = 4;

  private FrameGrid() {}

  /**
   * {@code tiles} frames, evenly spaced, of each of {@code rows} (equally long lists of frames of
   * one size), written as an image ({@code .png}).
   */
  public static void write(List<List<VideoFrame>> rows, int tiles, int scale, File image)
      throws IOException {
    if (rows.isEmpty() || rows.get(0).isEmpty()) {
      throw new IllegalArgumentException("no frames to draw");
    }
    int frames = rows.get(0).size();
    for (List<VideoFrame> row : rows) {
      if (row.size() != frames) {
        throw new IllegalArgumentException(
            "rows of " + frames + " and " + row.size() + " frames: a grid's rows are equally long");
      }
    }
    int n = Math.min(tiles, frames);
    int w = rows.get(0).get(0).width() * scale, h = rows.get(0).get(0).height() * scale;
    int width = n * w + (n + 1) * GAP, height = rows.size() * h + (rows.size() + 1) * GAP;
    byte[] rgb = new byte[width * height * 3];
    Arrays.fill(rgb, (byte) 255);
    for (int k = 0; k < n; k++) {
      int index = n == 1 ? 0 : (int) Math.round(k * (frames - 1) / (double) (n - 1));
      for (int r = 0; r < rows.size(); r++) {
        paste(rgb, width, rows.get(r).get(index), scale, GAP + k * (w + GAP), GAP + r * (h + GAP));
      }
    }
    ImageFiles.write(new VideoFrame(0, width, height, rgb), image);
  }

  private static void paste(byte[] rgb, int width, VideoFrame f, int scale, int left, int top) {
    byte[] src = f.rgb();
    for (int y = 0; y < f.height() * scale; y++) {
      for (int x = 0; x < f.width() * scale; x++) {
        int s = ((y / scale) * f.width() + x / scale) * 3;
        int d = ((top + y) * width + left + x) * 3;
        rgb[d] = src[s];
        rgb[d + 1] = src[s + 1];
        rgb[d + 2] = src[s + 2];
      }
    }
  }
}
