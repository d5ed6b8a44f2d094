package dev.viaspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.opencv.global.opencv_core;
import org.junit.jupiter.api.Test;

class TemporalMetricsTest {
  private static final int W = 160;
  private static final int H = 120;
  private static final int FRAMES = 9;

  /** Pixels per frame that the camera pans by. */
  private static final int DX = 3;

  private static final int DY = 2;

  private static final int FLICKER = 20;

  /** A panning shot: each frame is the texture shifted by (DX, DY) from the previous one. */
  private static final List<VideoFrame> PAN = pan(FRAMES);

  static List<VideoFrame> pan(int frames) {
    int tw = W + DX * frames;
    int th = H + DY * frames;
    int[] texture = smoothTexture(tw, th, new Random(42));
    List<VideoFrame> out = new ArrayList<>();
    for (int t = 0; t < frames; t++) {
      // frame t at (x, y) shows the texture at (x - t DX, y - t DY), offset so that the crop stays
      // inside
      int left = DX * (frames - t);
      int top = DY * (frames - t);
      byte[] rgb = new byte[W * H * 3];
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          for (int c = 0; c < 3; c++)
            rgb[(y * W + x) * 3 + c] = (byte) texture[((top + y) * tw + left + x) * 3 + c];
        }
      }
      out.add(new VideoFrame(t, W, H, rgb));
    }
    return out;
  }

  /**
   * Per-channel white noise blurred by two passes of a 5x5 box filter (close to a Gaussian of sigma
   * 2), stretched to a standard deviation of about 35 around 128 and kept within [30, 225] so that
   * a ±20 offset never clips.
   */
  static int[] smoothTexture(int w, int h, Random rnd) {
    int[] out = new int[w * h * 3];
    for (int c = 0; c < 3; c++) {
      double[] v = new double[w * h];
      for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
      for (int pass = 0; pass < 2; pass++) v = boxBlur(v, w, h);
      double scale = 35 / standardDeviation(v);
      for (int i = 0; i < v.length; i++) {
        out[i * 3 + c] = (int) Math.max(30, Math.min(225, Math.round(128 + scale * v[i])));
      }
    }
    return out;
  }

  private static double standardDeviation(double[] v) {
    double mean = 0;
    for (double x : v) mean += x / v.length;
    double variance = 0;
    for (double x : v) variance += (x - mean) * (x - mean) / v.length;
    return Math.sqrt(variance);
  }

  private static double[] boxBlur(double[] v, int w, int h) {
    double[] out = new double[v.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sum = 0;
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            int sx = Math.min(w - 1, Math.max(0, x + dx));
            int sy = Math.min(h - 1, Math.max(0, y + dy));
            sum += v[sy * w + sx];
          }
        }
        out[y * w + x] = sum / 25;
      }
    }
    return out;
  }

  /** A static shot: the first frame of the pan, repeated. */
  static List<VideoFrame> still(int frames) {
    List<VideoFrame> out = new ArrayList<>();
    for (int t = 0; t < frames; t++) out.add(new VideoFrame(t, W, H, PAN.get(0).rgb()));
    return out;
  }

  /** Each frame's pixels shifted by {@code offset(index)}. */
  static List<VideoFrame> brightened(List<VideoFrame> frames, IntUnaryOperator offset) {
    List<VideoFrame> out = new ArrayList<>();
    for (VideoFrame f : frames) {
      byte[] rgb = new byte[f.rgb().length];
      int d = offset.applyAsInt(f.index());
      for (int i = 0; i < rgb.length; i++)
        rgb[i] = (byte) Math.max(0, Math.min(255, (f.rgb()[i] & 0xff) + d));
      out.add(f.withPixels(rgb));
    }
    return out;
  }

  static TemporalScores score(List<VideoFrame> source, List<VideoFrame> output, int from, int to) {
    TemporalMetrics metrics = new TemporalMetrics();
    for (int i = from; i < to; i++) metrics.add(source.get(i), output.get(i));
    return metrics.scores();
  }

  static TemporalScores score(List<VideoFrame> source, List<VideoFrame> output) {
    return score(source, output, 0, source.size());
  }

  static List<VideoFrame> flickering(List<VideoFrame> frames) {
    return brightened(frames, t -> t % 2 == 0 ? FLICKER : -FLICKER);
  }

  @Test
  void aPanIsTemporallyConsistentThoughEveryFrameChanges() {
    TemporalScores s = score(PAN, PAN);
    assertEquals(FRAMES - 1, s.pairs());
    // The flow of an integer pan is recovered to a small fraction of a pixel (this scores about
    // 0.05); on this texture,
    // with a mean |gradient| of about 9 levels per pixel, even a 0.1 px flow error would cost under
    // 1 level. Border
    // pixels whose flow samples outside the previous frame are excluded.
    assertTrue(s.warpError() < 1.0, "warp error " + s.warpError());
    assertEquals(s.warpError(), s.sourceWarpError(), 0);
    assertTrue(s.frameDiff() > 20, "frame difference " + s.frameDiff());
    assertEquals(s.frameDiff(), s.sourceFrameDiff(), 0);
  }

  @Test
  void flickerOfPlusMinus20CostsAbout40() {
    TemporalScores s = score(PAN, flickering(PAN));
    // Consecutive frames are offset by +20 and -20: every channel of every aligned pixel differs by
    // 40, give or take
    // the source's own warp error.
    assertEquals(2.0 * FLICKER, s.warpError(), 1.0);
    assertTrue(s.warpError() > s.sourceWarpError() + 30, s.toString());
    assertTrue(s.frameDiff() > s.sourceFrameDiff(), s.toString());
  }

  @Test
  void identicalStaticFramesScoreZero() {
    List<VideoFrame> still = still(4);
    assertEquals(new TemporalScores(0, 0, 0, 0, 3), score(still, still));
  }

  @Test
  void flickerOverAStillSourceCostsExactly40() {
    List<VideoFrame> still = still(4);
    assertEquals(
        new TemporalScores(2.0 * FLICKER, 0, 2.0 * FLICKER, 0, 3), score(still, flickering(still)));
  }

  @Test
  void mergingTwoSegmentsThatShareTheirBoundaryFrameGivesTheWhole() {
    List<VideoFrame> output = flickering(PAN);
    TemporalScores whole = score(PAN, output);
    // the second segment starts with the first one's last frame, so the boundary pair is scored
    // once
    for (int split : new int[] {2, 4, 7}) {
      TemporalScores merged =
          score(PAN, output, 0, split + 1).merge(score(PAN, output, split, FRAMES));
      assertEquals(whole.pairs(), merged.pairs());
      assertEquals(whole.warpError(), merged.warpError(), 1e-9);
      assertEquals(whole.sourceWarpError(), merged.sourceWarpError(), 1e-9);
      assertEquals(whole.frameDiff(), merged.frameDiff(), 1e-9);
      assertEquals(whole.sourceFrameDiff(), merged.sourceFrameDiff(), 1e-9);
    }
    assertSame(whole, whole.merge(TemporalScores.NONE));
    assertSame(whole, TemporalScores.NONE.merge(whole));
  }

  @Test
  void noPairsBeforeTheSecondFrame() {
    TemporalMetrics metrics = new TemporalMetrics();
    assertSame(TemporalScores.NONE, metrics.scores());
    metrics.add(PAN.get(0), PAN.get(0));
    assertSame(TemporalScores.NONE, metrics.scores());
  }

  @Test
  void sizesMustMatch() {
    VideoFrame small = new VideoFrame(0, 32, 24, new byte[32 * 24 * 3]);
    VideoFrame smaller = new VideoFrame(0, 24, 16, new byte[24 * 16 * 3]);
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new TemporalMetrics().add(small, smaller));
    assertTrue(
        e.getMessage().contains("32x24") && e.getMessage().contains("24x16"), e.getMessage());

    TemporalMetrics metrics = new TemporalMetrics();
    metrics.add(small, small);
    VideoFrame next = new VideoFrame(1, 24, 16, new byte[24 * 16 * 3]);
    e = assertThrows(IllegalArgumentException.class, () -> metrics.add(next, next));
    assertTrue(
        e.getMessage().contains("32x24") && e.getMessage().contains("24x16"), e.getMessage());
  }

  @Test
  void framesMustBeConsecutiveAndPaired() {
    TemporalMetrics metrics = new TemporalMetrics();
    assertThrows(IllegalArgumentException.class, () -> metrics.add(PAN.get(0), PAN.get(1)));
    metrics.add(PAN.get(0), PAN.get(0));
    var e = assertThrows(IllegalArgumentException.class, () -> metrics.add(PAN.get(2), PAN.get(2)));
    assertTrue(e.getMessage().contains("frame 2 follows frame 0"), e.getMessage());
  }

  @Test
  void resultsDoNotDependOnOpenCvThreads() {
    List<VideoFrame> output = flickering(PAN);
    int threads = opencv_core.getNumThreads();
    try {
      opencv_core.setNumThreads(1);
      TemporalScores single = score(PAN, output);
      opencv_core.setNumThreads(Math.max(4, Runtime.getRuntime().availableProcessors()));
      assertEquals(single, score(PAN, output));
    } finally {
      opencv_core.setNumThreads(threads);
    }
  }

  @Test
  void releasesItsNativeMemoryAfterEachPair() {
    score(PAN, PAN, 0, 2); // OpenCV's first calls allocate lasting buffers
    long before = Pointer.totalCount();
    score(PAN, flickering(PAN));
    // at most equal: the garbage collector may free other tests' pointers meanwhile
    long after = Pointer.totalCount();
    assertTrue(after <= before, "native pointers: " + before + " before, " + after + " after");
  }
}
