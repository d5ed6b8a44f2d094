package dev.viaspark.job;

import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A picture of an edit: a few frames spread over the video, the source on top and the edit below,
 * each enlarged by a whole factor with square pixels (small videos stay crisp) and separated by
 * white gaps.
 */
final class BeforeAfterStrip {
  static final int GAP = 4;

  private BeforeAfterStrip() {}

  /**
   * {@code tiles} frames, evenly spaced, of two equally long frame lists, written as an image
   * ({@code .png}).
   */
  static void write(
      List<VideoFrame> before, List<VideoFrame> after, int tiles, int scale, File image)
      throws IOException {
    if (before.isEmpty() || before.size() != after.size()) {
      throw new IllegalArgumentException(
          before.size() + " frames before, " + after.size() + " after");
    }
    int n = Math.min(tiles, before.size());
    int w = before.get(0).width() * scale, h = before.get(0).height() * scale;
    int width = n * w + (n + 1) * GAP, height = 2 * h + 3 * GAP;
    byte[] rgb = new byte[width * height * 3];
    Arrays.fill(rgb, (byte) 255);
    for (int k = 0; k < n; k++) {
      int index = n == 1 ? 0 : (int) Math.round(k * (before.size() - 1) / (double) (n - 1));
      paste(rgb, width, before.get(index), scale, GAP + k * (w + GAP), GAP);
      paste(rgb, width, after.get(index), scale, GAP + k * (w + GAP), 2 * GAP + h);
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
