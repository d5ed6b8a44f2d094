package dev.viaspark.train;

import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyRenderer;
import java.util.Locale;

/**
 * Extra loss weights on the shapes of an example, per latent pixel: 1 everywhere, plus {@code kept}
 * times the share of the pixel's block that shows a shape outside the edit region ("make the circle
 * red" on a frame with a square: the square's pixels), plus {@code named} times the share that
 * shows a shape inside it (the circle's). Both kinds are few pixels, and they are where a model
 * learns which shape a word names (binding): with a plain mean they are drowned by the background
 * it copies anyway. Weighing only the kept shapes teaches the model to leave shapes alone,
 * including the named one; the named weight pulls the other way.
 *
 * @param kept extra weight of the shapes an instruction leaves alone (0: none)
 * @param named extra weight of the shapes an instruction edits (0: none)
 */
public record ShapeWeights(double kept, double named) {
  public static final ShapeWeights NONE = new ShapeWeights(0, 0);

  public ShapeWeights {
    if (!(kept >= 0))
      throw new IllegalArgumentException("kept-shape weight " + kept + ": must be 0 or more");
    if (!(named >= 0))
      throw new IllegalArgumentException("named-shape weight " + named + ": must be 0 or more");
  }

  boolean any() {
    return kept > 0 || named > 0;
  }

  /** For the log: "; kept shapes weigh +4.00, named shapes +2.00", or "" for none. */
  String describe() {
    if (!any()) return "";
    return String.format(Locale.ROOT, "; kept shapes weigh +%.2f, named shapes +%.2f", kept, named);
  }

  /**
   * The weight map of one example at latent size {@code h x w} (row-major), its frame being an
   * integer multiple of that size.
   */
  float[] of(ToyExample example, int h, int w) {
    int width = example.source().width();
    int height = example.source().height();
    if (width % w != 0 || height % h != 0) {
      throw new IllegalArgumentException(
          "frame " + width + "x" + height + " is not a multiple of the latent " + w + "x" + h);
    }
    int fy = height / h, fx = width / w;
    float[] map = new float[h * w];
    int[] owners = example.owners();
    boolean[] region = example.region();
    float block = fy * fx;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int keptPixels = 0, namedPixels = 0;
        for (int dy = 0; dy < fy; dy++) {
          for (int dx = 0; dx < fx; dx++) {
            int p = (y * fy + dy) * width + x * fx + dx;
            if (owners[p] == ToyRenderer.BACKGROUND) continue;
            if (region[p]) namedPixels++;
            else keptPixels++;
          }
        }
        map[y * w + x] = (float) (1 + kept * keptPixels / block + named * namedPixels / block);
      }
    }
    return map;
  }
}
