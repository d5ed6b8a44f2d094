package dev.viaspark.diffusion.pipeline;

import java.util.ArrayDeque;

/**
 * Keeps, of a thresholded map, the connected region (8 neighbours) with the highest mean evidence,
 * and clears the others. The mean rather than the sum: a sum favours the larger of two regions, and
 * the thing an instruction names is not the larger one more often than not (on the toy domain the
 * mean keeps the named shape more often; docs/BENCHMARKS.md).
 *
 * <p>With a prior (the region a nearby frame kept, carried onto this one) the frame keeps the same
 * thing:
 *
 * <ul>
 *   <li>the region that overlaps the prior most is chosen (the mean decides between regions that
 *       overlap it equally), and only its cells within one cell of those the prior covers at least
 *       half of are kept: where this frame's evidence is flat or spreads over neighbouring things,
 *       a region above the threshold can be most of the frame;
 *   <li>when no region overlaps it (this frame's evidence lies elsewhere), the cells the prior
 *       covers at least half of are kept: another region would switch the edit to another thing for
 *       this frame.
 * </ul>
 *
 * A prior that covers no cell by half is no prior.
 */
final class StrongestRegion {
  private StrongestRegion() {}

  /**
   * @param above 1 where the map passed the threshold, else 0; one image of h x w, row major
   * @param evidence the map's values, same layout
   * @return {@code above} with only its strongest region left
   */
  static float[] keep(float[] above, float[] evidence, int h, int w) {
    return keep(above, evidence, null, h, w);
  }

  /**
   * @param prior how much of each cell the region to follow covers (0-1), same layout; null for
   *     none
   */
  static float[] keep(float[] above, float[] evidence, float[] prior, int h, int w) {
    float[] covered = prior == null ? null : covered(prior);
    if (covered != null && isEmpty(covered)) prior = null;
    int[] label = new int[above.length];
    double bestMean = -1, bestOverlap = 0;
    int best = 0, next = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < above.length; start++) {
      if (above[start] == 0 || label[start] != 0) continue;
      label[start] = ++next;
      double sum = 0, overlap = 0;
      int size = 0;
      queue.add(start);
      while (!queue.isEmpty()) {
        int p = queue.poll();
        sum += evidence[p];
        if (prior != null) overlap += prior[p];
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
      double mean = sum / size;
      if (overlap > bestOverlap || overlap == bestOverlap && mean > bestMean) {
        bestOverlap = overlap;
        bestMean = mean;
        best = next;
      }
    }
    if (prior != null && bestOverlap == 0) return covered;
    float[] near = prior == null ? null : grown(covered, h, w);
    float[] out = new float[above.length];
    for (int p = 0; p < out.length; p++) {
      out[p] = label[p] == best && best != 0 && (near == null || near[p] != 0) ? 1f : 0f;
    }
    return out;
  }

  /** 1 where the prior covers at least half of a cell. */
  private static float[] covered(float[] prior) {
    float[] out = new float[prior.length];
    for (int p = 0; p < out.length; p++) out[p] = prior[p] >= 0.5f ? 1f : 0f;
    return out;
  }

  private static boolean isEmpty(float[] cells) {
    for (float v : cells) if (v != 0) return false;
    return true;
  }

  /** {@code cells} grown by one cell (8 neighbours). */
  private static float[] grown(float[] cells, int h, int w) {
    float[] out = new float[cells.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (cells[y * w + x] == 0) continue;
        for (int ny = Math.max(0, y - 1); ny <= Math.min(h - 1, y + 1); ny++)
          for (int nx = Math.max(0, x - 1); nx <= Math.min(w - 1, x + 1); nx++)
            out[ny * w + nx] = 1f;
      }
    }
    return out;
  }
}
