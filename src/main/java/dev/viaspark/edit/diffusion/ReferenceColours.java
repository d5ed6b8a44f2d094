package dev.viaspark.edit.diffusion;

import dev.viaspark.video.VideoFrame;

/**
 * The colours of a reference image's region, given to the masked region of a frame: per RGB
 * channel, the frame's values inside its mask are shifted and scaled so that their mean and spread
 * become the reference region's (Reinhard's colour transfer, in RGB). The frame starts an edit from
 * a reference this way ({@code edit.reference-start = colours}): the swapped attention then has an
 * appearance to refine, where on its own it does not outweigh the image conditioning.
 *
 * <p>Means and spreads are weighted by the mask (0-255). A region that is flat in the frame (spread
 * under one level) takes the reference's mean, with no scaling of what is left of its shading.
 */
public final class ReferenceColours {
  private static final double FLAT = 1;

  private final double[] mean;
  private final double[] spread;

  private ReferenceColours(double[] mean, double[] spread) {
    this.mean = mean;
    this.spread = spread;
  }

  /**
   * @param region one byte per pixel of the reference (0-255: how much a pixel counts), or null for
   *     the whole image
   * @throws IllegalArgumentException when the region is empty
   */
  public static ReferenceColours of(VideoFrame reference, byte[] region) {
    double[][] stats = statistics(reference, region);
    if (stats == null) {
      throw new IllegalArgumentException(
          "the reference's region (the mask of frame 0 over the reference) is empty");
    }
    return new ReferenceColours(stats[0], stats[1]);
  }

  /** The reference region's mean of a channel (0 red, 1 green, 2 blue), 0-255. */
  public double mean(int channel) {
    return mean[channel];
  }

  /**
   * The frame with its masked region in the reference's colours; outside the mask (and where the
   * mask is empty) the frame as it is.
   *
   * @param mask one byte per pixel: 255 takes the transferred colour, 0 keeps the frame, values
   *     between blend
   */
  public VideoFrame transfer(VideoFrame frame, byte[] mask) {
    double[][] stats = statistics(frame, mask);
    if (stats == null) return frame;
    byte[] in = frame.rgb();
    byte[] out = in.clone();
    for (int p = 0; p < mask.length; p++) {
      int w = mask[p] & 0xff;
      if (w == 0) continue;
      for (int c = 0; c < 3; c++) {
        double v = in[3 * p + c] & 0xff;
        double scale = stats[1][c] < FLAT ? 1 : spread[c] / stats[1][c];
        double moved = mean[c] + (v - stats[0][c]) * scale;
        double blended = v + (moved - v) * w / 255.0;
        out[3 * p + c] = (byte) Math.max(0, Math.min(255, Math.round(blended)));
      }
    }
    return frame.withPixels(out);
  }

  /** Weighted per-channel mean and standard deviation, or null when the weights are all 0. */
  private static double[][] statistics(VideoFrame frame, byte[] weights) {
    byte[] rgb = frame.rgb();
    int pixels = frame.width() * frame.height();
    if (weights != null && weights.length != pixels) {
      throw new IllegalArgumentException(
          "a mask of " + weights.length + " pixels for a frame of " + pixels);
    }
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
