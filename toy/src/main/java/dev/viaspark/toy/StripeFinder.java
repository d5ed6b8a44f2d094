package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;

/**
 * Finds the stripes an edit painted: which pixels of a region changed, and the {@link
 * StripePattern} those pixels follow best. This judges an instruction with many right results by
 * its class (bands of one colour, in the region, nothing else moved) rather than against one
 * target.
 *
 * <p>A pixel counts as changed when it moved (mean over channels, 0-255) by more than half the
 * region's 90th percentile change, and at least by {@link #MIN_CHANGE}: a band colour is at least
 * 30 from a sampled background on average, and a blurred edge pixel is changed by a third or two
 * thirds of the band's change, which this splits. Pixels within one pixel of a band edge are left
 * out of the agreement, as edge pixels are in {@link ToyAccuracy}.
 */
final class StripeFinder {
  static final double MIN_CHANGE = 15;

  /**
   * Phases tried per period: the best is at most 1/128 period (1/8 pixel at 16 px) from the true
   * one.
   */
  private static final int PHASES = 64;

  /** Resolution of positions across the bands, a multiple of {@link #PHASES}. */
  private static final int BINS = 256;

  /**
   * The best-fitting stripes.
   *
   * @param agreement share of the counted pixels where "changed" and "inside a band" agree (0.5: no
   *     stripes)
   * @param bandColour mean edited colour of the counted pixels inside the bands
   */
  record Found(StripePattern pattern, double agreement, double[] bandColour) {}

  private StripeFinder() {}

  /**
   * @param counted per pixel (row-major) whether to judge it: the edit region's interior
   * @return the best pattern, or null when no pixel is counted
   */
  static Found find(VideoFrame source, VideoFrame edited, boolean[] counted) {
    int w = source.width(), h = source.height();
    byte[] s = source.rgb(), e = edited.rgb();
    int n = 0;
    for (boolean c : counted) if (c) n++;
    if (n == 0) return null;
    int[] pixels = new int[n];
    double[] change = new double[n];
    for (int p = 0, i = 0; p < counted.length; p++) {
      if (!counted[p]) continue;
      pixels[i] = p;
      int sum = 0;
      for (int c = 3 * p; c < 3 * p + 3; c++) sum += Math.abs((e[c] & 0xff) - (s[c] & 0xff));
      change[i++] = sum / 3.0;
    }
    double[] sorted = change.clone();
    Arrays.sort(sorted);
    double threshold = Math.max(MIN_CHANGE, sorted[(int) (0.9 * (n - 1))] / 2);

    StripePattern best = null;
    double bestAgreement = -1;
    int bestAllAgree = -1;
    for (StripePattern shape : StripePattern.shapes()) {
      // changed and unchanged pixels by position across the bands, so that every phase costs BINS,
      // not n
      int[] changed = new int[BINS], unchanged = new int[BINS];
      for (int i = 0; i < n; i++) {
        int bin =
            Math.min(
                BINS - 1,
                (int)
                    (shape.position((pixels[i] % w + 0.5) / w, (pixels[i] / w + 0.5) / h) * BINS));
        if (change[i] > threshold) changed[bin]++;
        else unchanged[bin]++;
      }
      double margin = 1 / shape.periodPixels(Math.min(w, h));
      for (int k = 0; k < PHASES; k++) {
        int agree = 0, judged = 0, allAgree = 0;
        for (int b = 0; b < BINS; b++) {
          double t = ((b + k * (BINS / PHASES)) % BINS + 0.5) / BINS;
          int agreeHere = t < 0.5 ? changed[b] : unchanged[b];
          allAgree += agreeHere;
          if (nearEdge(t, margin)) continue;
          judged += changed[b] + unchanged[b];
          agree += agreeHere;
        }
        double agreement = judged == 0 ? 0 : (double) agree / judged;
        // many phases agree fully once edges are left out; the edge pixels then pick the one in the
        // middle
        if (agreement > bestAgreement || agreement == bestAgreement && allAgree > bestAllAgree) {
          bestAgreement = agreement;
          bestAllAgree = allAgree;
          best = new StripePattern(shape.angle(), shape.period(), (double) k / PHASES);
        }
      }
    }
    return new Found(best, bestAgreement, bandColour(best, pixels, e, w, h));
  }

  private static boolean nearEdge(double t, double margin) {
    return t < margin || Math.abs(t - 0.5) < margin || t > 1 - margin;
  }

  private static double[] bandColour(StripePattern bands, int[] pixels, byte[] e, int w, int h) {
    // one and a half pixels: a 3x3 blur reaches past one pixel on bands that cross the pixel grid
    // at an angle
    double margin = 1.5 / bands.periodPixels(Math.min(w, h));
    double[] sum = new double[3];
    int n = 0;
    for (int p : pixels) {
      double t = bands.position((p % w + 0.5) / w, (p / w + 0.5) / h);
      if (t >= 0.5 || nearEdge(t, margin)) continue;
      for (int c = 0; c < 3; c++) sum[c] += e[3 * p + c] & 0xff;
      n++;
    }
    for (int c = 0; c < 3; c++) sum[c] = n == 0 ? Double.NaN : sum[c] / n;
    return sum;
  }
}
