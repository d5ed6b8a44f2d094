package dev.viaspark.train;

import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyRenderer;

/**
 * A per-latent-pixel loss weight that makes the shapes an instruction must leave alone count more:
 * 1 everywhere, plus {@code extra} times the share of the latent pixel's block that shows a shape
 * outside the edit region ("make the circle red" on a frame with a square: the square's pixels).
 * Those pixels are few, and they are where a model learns which shape a word names (binding); with
 * a plain mean they are drowned by the background it copies anyway.
 */
final class KeptShapeWeights {
  private KeptShapeWeights() {}

  /**
   * The weight map of one example at latent size {@code h x w} (row-major), its frame being an
   * integer multiple of that size.
   */
  static float[] of(ToyExample example, int h, int w, float extra) {
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
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int kept = 0;
        for (int dy = 0; dy < fy; dy++) {
          for (int dx = 0; dx < fx; dx++) {
            int p = (y * fy + dy) * width + x * fx + dx;
            if (owners[p] != ToyRenderer.BACKGROUND && !region[p]) kept++;
          }
        }
        map[y * w + x] = 1 + extra * kept / (float) (fy * fx);
      }
    }
    return map;
  }
}
