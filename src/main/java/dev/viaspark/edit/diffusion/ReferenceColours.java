package dev.viaspark.edit.diffusion;

import dev.viaspark.video.VideoFrame;

/**
 * How the masked region of a frame takes a reference image's colours ({@code
 * edit.reference-transfer = colours}), before or instead of an edit with the reference's K/V
 * swapped in, which on its own does not outweigh InstructPix2Pix's image conditioning.
 */
public interface ReferenceColours {
  /**
   * The frame with its masked region in the reference's colours; outside the mask (and where the
   * mask is empty) the frame as it is.
   *
   * @param mask one byte per pixel: 255 takes the transferred colour, 0 keeps the frame, values
   *     between blend
   */
  VideoFrame transfer(VideoFrame frame, byte[] mask);

  /**
   * A reference that is a picture of the new look: each frame's region takes the mean and spread of
   * the reference region's colours ({@link ColourStatistics}).
   *
   * @param region one byte per pixel of the reference (how much it counts), or null for all of it
   * @throws IllegalArgumentException when the region is empty
   */
  static ReferenceColours ofLook(VideoFrame reference, byte[] region) {
    return ColourStatistics.of(reference, region);
  }

  /**
   * A reference that is frame 0 edited, aligned with the video: the colour map from {@code source}
   * to {@code reference} under {@code region}, pixel for pixel ({@link ColourMap}).
   *
   * @throws IllegalArgumentException when the region is empty or the sizes differ
   */
  static ReferenceColours ofEditedFrame(VideoFrame source, VideoFrame reference, byte[] region) {
    return ColourMap.fit(source, reference, region);
  }

  /**
   * As {@link #ofEditedFrame}, or null when the colour map misses the reference by more than {@code
   * tolerance} levels on average over the region ({@link ColourMap#residual}): an edit that depends
   * on position, which colours alone cannot carry.
   */
  static ReferenceColours ofEditedFrameIfColours(
      VideoFrame source, VideoFrame reference, byte[] region, double tolerance) {
    ColourMap map = ColourMap.fit(source, reference, region);
    return map.residual(source, reference, region) <= tolerance ? map : null;
  }

  /** A pixel's new value in one channel, from its three old ones (0-255). */
  interface PixelMap {
    double apply(double[] rgb, int channel);
  }

  /**
   * The frame with {@code map} applied inside the mask, blended by its weight, clamped to 0-255.
   */
  static VideoFrame apply(VideoFrame frame, byte[] mask, PixelMap map) {
    pixels(frame, mask);
    byte[] in = frame.rgb();
    byte[] out = in.clone();
    double[] v = new double[3];
    for (int p = 0; p < mask.length; p++) {
      int w = mask[p] & 0xff;
      if (w == 0) continue;
      for (int c = 0; c < 3; c++) v[c] = in[3 * p + c] & 0xff;
      for (int c = 0; c < 3; c++) {
        double blended = v[c] + (map.apply(v, c) - v[c]) * w / 255.0;
        out[3 * p + c] = (byte) Math.max(0, Math.min(255, Math.round(blended)));
      }
    }
    return frame.withPixels(out);
  }

  /** The frame's pixel count, checked against the mask's (null: no mask). */
  static int pixels(VideoFrame frame, byte[] mask) {
    int pixels = frame.width() * frame.height();
    if (mask != null && mask.length != pixels) {
      throw new IllegalArgumentException(
          "a mask of " + mask.length + " pixels for a frame of " + pixels);
    }
    return pixels;
  }
}
