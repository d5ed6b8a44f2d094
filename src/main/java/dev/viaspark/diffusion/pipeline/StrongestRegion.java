package dev.viaspark.diffusion.pipeline;

import java.util.ArrayDeque;

/**
 * Keeps, of a thresholded map, the connected region (8 neighbours) with the highest mean evidence,
 * and clears the others. The mean rather than the sum: a sum favours the larger of two regions, and
 * the thing an instruction names is not the larger one more often than not (on the toy domain the
 * mean keeps the named shape more often; docs/BENCHMARKS.md).
 */
final class StrongestRegion {
  private StrongestRegion() {}

  /**
   * @param above 1 where the map passed the threshold, else 0; one image of h x w, row major
   * @param evidence the map's values, same layout
   * @return {@code above} with only its strongest region left
   */
  static float[] keep(float[] above, float[] evidence, int h, int w) {
    int[] label = new int[above.length];
    double bestMean = -1;
    int best = 0, next = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < above.length; start++) {
      if (above[start] == 0 || label[start] != 0) continue;
      label[start] = ++next;
      double sum = 0;
      int size = 0;
      queue.add(start);
      while (!queue.isEmpty()) {
        int p = queue.poll();
        sum += evidence[p];
        size++;
        int y = p / w, x = p % w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int ny = y + dy, nx = x + dx;
            if (ny < 0 || ny >= h || nx < 0 || nx >= w) continue;
            int q = ny * w + nx;
            if (above[q] != 0 && label[q] == 0) {
              label[q] = next;
              queue.add(q);
            }
          }
        }
      }
      if (sum / size > bestMean) {
        bestMean = sum / size;
        best = next;
      }
    }
    float[] out = new float[above.length];
    for (int p = 0; p < out.length; p++) out[p] = label[p] == best && best != 0 ? 1f : 0f;
    return out;
  }
}
