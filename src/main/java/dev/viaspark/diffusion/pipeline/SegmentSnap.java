package dev.viaspark.diffusion.pipeline;

/**
 * Draws a found mask along the source image's own regions ({@link SourceSegments}). A mask found at
 * latent resolution cuts across the edges of what it found: a latent straddles the background and a
 * shape's edge. Snapped, a region changes as a whole when the share of it the found mask's core
 * covers is at least half the largest share any region has, else it keeps the source as a whole; an
 * edited background then stops at the shapes' outlines and an edited shape takes all of its pixels.
 * Relative to the largest share, because what the model finds of a small shape is often a third of
 * it, while what it finds of a background is nearly all of it and a third of the shapes beside it.
 */
final class SegmentSnap {
  /** The share of the best-covered region's coverage a region needs to change. */
  static final double SHARE = 0.5;

  private SegmentSnap() {}

  /**
   * @param core 1 where the found mask's latents passed, h x w
   * @param factor pixels per latent
   * @param rgb the source image, 3 planes of (h factor) x (w factor), in [-1, 1]
   * @return the pixel mask, (h factor) x (w factor), 1 may change, 0 keeps the source
   */
  static float[] snap(float[] core, int h, int w, int factor, float[] rgb) {
    int ph = h * factor, pw = w * factor, n = ph * pw;
    int[] labels = SourceSegments.of(rgb, ph, pw);
    int regions = 0;
    for (int label : labels) regions = Math.max(regions, label + 1);
    int[] covered = new int[regions], size = new int[regions];
    for (int p = 0; p < n; p++) {
      size[labels[p]]++;
      if (core[(p / pw / factor) * w + (p % pw) / factor] > 0) covered[labels[p]]++;
    }
    double most = 0;
    for (int r = 0; r < regions; r++) most = Math.max(most, covered[r] / (double) size[r]);
    float[] mask = new float[n];
    for (int p = 0; p < n; p++) {
      int r = labels[p];
      mask[p] = most > 0 && covered[r] >= SHARE * most * size[r] ? 1f : 0f;
    }
    return mask;
  }
}
