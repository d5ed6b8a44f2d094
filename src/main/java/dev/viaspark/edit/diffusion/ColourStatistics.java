package dev.viaspark.edit.diffusion;

import dev.viaspark.video.VideoFrame;

/**
 * The colours of a reference image's region, given to the masked region of a frame: per RGB
 * channel, the frame's values inside its mask are shifted and scaled so that their mean and spread
 * become the reference region's (Reinhard's colour transfer, in RGB). For a reference that is a
 * picture of the new look, not aligned with the video.
 *
 * <p>Means and spreads are weighted by the mask (0-255). A region that is flat in the frame (spread
 * under one level) takes the reference's mean, with no scaling of what is left of its shading.
 */
final class ColourStatistics implements ReferenceColours {
  private static final double FLAT = 1;

  private final double[] mean;
  private final double[] spread;

  private ColourStatistics(double[] mean, double[] spread) {
    this.mean = mean;
    this.spread = spread;
  }

  /**
   * @param region one byte per pixel of the reference (0-255: how much a pixel counts), or null for
   *     the whole image
   * @throws IllegalArgumentException when the region is empty
   */
  static ColourStatistics of(VideoFrame reference, byte[] region) {
    double[][] stats = statistics(reference, region);
    if (stats == null) throw new IllegalArgumentException("the reference's region is empty");
    return new ColourStatistics(stats[0], stats[1]);
  }

  @Override
  public VideoFrame transfer(VideoFrame frame, byte[] mask) {
    double[][] stats = statistics(frame, mask);
    if (stats == null) return frame;
    double[] scale = new double[3];
    for (int c = 0; c < 3; c++) scale[c] = stats[1][c] < FLAT ? 1 : spread[c] / stats[1][c];
    return ReferenceColours.apply(frame, mask, (v, c) -> mean[c] + (v[c] - stats[0][c]) * scale[c]);
  }

  /** Weighted per-channel mean and standard deviation, or null when the weights are all 0. */
  private static double[][] statistics(VideoFrame frame, byte[] weights) {
    byte[] rgb = frame.rgb();
    int pixels = ReferenceColours.pixels(frame, weights);
    double total = 0;
    double[] sum = new double[3], squares = new double[3];
    for (int p = 0; p < pixels; p++) {
      double w = weights == null ? 1 : (weights[p] & 0xff) / 255.0;
      if (w == 0) continue;
      total += w;
      for (int c = 0; c < 3; c++) {
        double v = rgb[3 * p + c] & 0xff;
        sum[c] += w * v;
        squares[c] += w * v * v;
      }
    }
    if (total == 0) return null;
    double[] mean = new double[3], spread = new double[3];
    for (int c = 0; c < 3; c++) {
      mean[c] = sum[c] / total;
      spread[c] = Math.sqrt(Math.max(0, squares[c] / total - mean[c] * mean[c]));
    }
    return new double[][] {mean, spread};
  }
}
