package dev.viaspark.diffusion.pipeline;

import java.util.ArrayDeque;

/**
 * Keeps, of a thresholded map, the connected region (8 neighbours) that holds the most evidence,
 * and clears the others.
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
    double bestMass = -1;
    int best = 0, next = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < above.length; start++) {
      if (above[start] == 0 || label[start] != 0) continue;
      label[start] = ++next;
      double mass = 0;
      queue.add(start);
      while (!queue.isEmpty()) {
        int p = queue.poll();
        mass += evidence[p];
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
      if (mass > bestMass) {
        bestMass = mass;
        best = next;
      }
    }
    float[] out = new float[above.length];
    for (int p = 0; p < out.length; p++) out[p] = label[p] == best && best != 0 ? 1f : 0f;
    return out;
  }
}
