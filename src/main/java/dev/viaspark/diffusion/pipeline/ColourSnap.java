package dev.viaspark.diffusion.pipeline;

/**
 * Draws a found mask's edge along the source image's colours. A found mask is made of whole latents
 * and dilated by one; the pixels of that margin (in the dilated mask, not in the core the threshold
 * kept) take the side whose mean source colour they are closer to: the core's or the rest's. So a
 * margin pixel of the named object's colour may change and one of its surroundings' colour stays
 * the source, and the composite keeps what borders the edit (the other shapes around an edited
 * background, say) instead of a whole latent's width of it.
 */
final class ColourSnap {
  private ColourSnap() {}

  /**
   * @param core 1 where the found mask's latents passed, h x w
   * @param dilated the mask as dilated, h x w
   * @param factor pixels per latent
   * @param rgb the source image, 3 planes of (h factor) x (w factor), any scale
   * @return the pixel mask, (h factor) x (w factor), 1 may change, 0 keeps the source
   */
  static float[] snap(float[] core, float[] dilated, int h, int w, int factor, float[] rgb) {
    int pw = w * factor, n = h * factor * pw;
    double[] inMean = new double[3], outMean = new double[3];
    int inCount = 0, outCount = 0;
    for (int p = 0; p < n; p++) {
      int latent = (p / pw / factor) * w + (p % pw) / factor;
      if (core[latent] > 0) {
        for (int c = 0; c < 3; c++) inMean[c] += rgb[c * n + p];
        inCount++;
      } else {
        for (int c = 0; c < 3; c++) outMean[c] += rgb[c * n + p];
        outCount++;
      }
    }
    float[] mask = new float[n];
    for (int p = 0; p < n; p++) {
      int latent = (p / pw / factor) * w + (p % pw) / factor;
      if (core[latent] > 0) {
        mask[p] = 1f;
      } else if (dilated[latent] > 0) {
        // a margin pixel: both sides have pixels (the margin surrounds a core and is not in it)
        double toIn = 0, toOut = 0;
        for (int c = 0; c < 3; c++) {
          double v = rgb[c * n + p];
          toIn += square(v - inMean[c] / inCount);
          toOut += square(v - outMean[c] / outCount);
        }
        mask[p] = toIn <= toOut ? 1f : 0f;
      }
    }
    return mask;
  }

  private static double square(double x) {
    return x * x;
  }
}
