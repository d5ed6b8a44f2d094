package dev.viaspark.diffusion.pipeline;

import java.util.Arrays;

/**
 * Splits an image into regions of similar colour: Felzenszwalb and Huttenlocher's graph-based
 * segmentation ("Efficient Graph-Based Image Segmentation", 2004). Neighbouring pixels
 * (8-connected) are joined in order of their colour distance while the distance stays within both
 * regions' own largest internal step plus {@code K / size}: a smooth gradient or a light texture
 * stays one region, an edge between two flat colours stays an edge. Regions under a minimum size
 * are then joined to their closest neighbour, and rims (regions no more than two pixels thick: the
 * blend a codec leaves along a shape's outline) to their neighbour of the nearest mean colour. No
 * smoothing first, unlike the paper: it would blur every edge into such rims, and a found mask
 * snapped to these regions ({@link SegmentSnap}) must follow the source's edges to the pixel.
 */
final class SourceSegments {
  /**
   * The scale, for colours in 0-255: larger makes larger regions. At the paper's 300 a decoded
   * video's gentle background gradient falls apart into bands and its shapes into pieces; 1000
   * keeps them whole (docs/BENCHMARKS.md, the masks snapped to segments).
   */
  static final double K = 1000;

  /** The smallest region is this share of the image (at least 4 pixels). */
  private static final int MIN_SIZE_DIVISOR = 2048;

  private SourceSegments() {}

  /**
   * @param rgb the image, 3 planes of {@code h x w}, in [-1, 1]
   * @return each pixel's region, row major: equal numbers for the same region, 0 to count - 1
   */
  static int[] of(float[] rgb, int h, int w) {
    int n = h * w;
    if (rgb.length != 3 * n) {
      throw new IllegalArgumentException(rgb.length + " values for 3 planes of " + h + "x" + w);
    }
    long[] edges = edges(rgb, h, w);
    Arrays.sort(edges);
    int[] parent = new int[n];
    int[] size = new int[n];
    float[] inner = new float[n];
    for (int p = 0; p < n; p++) {
      parent[p] = p;
      size[p] = 1;
    }
    for (long e : edges) {
      float weight = Float.intBitsToFloat((int) (e >>> 32));
      int a = root(parent, first(e)), b = root(parent, second(e, w));
      if (a == b) continue;
      if (weight <= inner[a] + K / size[a] && weight <= inner[b] + K / size[b]) {
        inner[join(parent, size, a, b)] = weight;
      }
    }
    int minSize = Math.max(4, n / MIN_SIZE_DIVISOR);
    for (long e : edges) {
      int a = root(parent, first(e)), b = root(parent, second(e, w));
      if (a != b && (size[a] < minSize || size[b] < minSize)) join(parent, size, a, b);
    }
    int[] roots = new int[n];
    for (int p = 0; p < n; p++) roots[p] = root(parent, p);
    return numbered(withoutRims(roots, rgb, h, w));
  }

  /**
   * {@code labels} with each rim folded into its neighbour of the nearest mean colour. A rim is a
   * region at most two pixels thick (no pixel of it has all four neighbours in it): the blend of
   * two colours that a codec leaves along a shape's outline.
   */
  private static int[] withoutRims(int[] labels, float[] rgb, int h, int w) {
    int n = h * w;
    int[] size = new int[n], inner = new int[n];
    double[] sum = new double[3 * n];
    for (int p = 0; p < n; p++) {
      int l = labels[p], y = p / w, x = p % w;
      size[l]++;
      for (int c = 0; c < 3; c++) sum[3 * l + c] += rgb[c * n + p];
      boolean interior =
          (x == 0 || labels[p - 1] == l)
              && (x == w - 1 || labels[p + 1] == l)
              && (y == 0 || labels[p - w] == l)
              && (y == h - 1 || labels[p + w] == l);
      if (interior) inner[l]++;
    }
    int[] into = new int[n];
    double[] nearest = new double[n];
    Arrays.fill(into, -1);
    Arrays.fill(nearest, Double.MAX_VALUE);
    for (int p = 0; p < n; p++) {
      int l = labels[p];
      if (inner[l] > 0) continue;
      for (int q : new int[] {p % w > 0 ? p - 1 : -1, p % w < w - 1 ? p + 1 : -1, p - w, p + w}) {
        if (q < 0 || q >= n || labels[q] == l || inner[labels[q]] == 0) continue;
        int o = labels[q];
        double d = 0;
        for (int c = 0; c < 3; c++) {
          double diff = sum[3 * l + c] / size[l] - sum[3 * o + c] / size[o];
          d += diff * diff;
        }
        if (d < nearest[l]) {
          nearest[l] = d;
          into[l] = o;
        }
      }
    }
    int[] out = new int[n];
    for (int p = 0; p < n; p++) out[p] = into[labels[p]] >= 0 ? into[labels[p]] : labels[p];
    return out;
  }

  /** Labels renumbered 0, 1, ... in the order they first appear. */
  private static int[] numbered(int[] labels) {
    int[] number = new int[labels.length], out = new int[labels.length];
    Arrays.fill(number, -1);
    int count = 0;
    for (int p = 0; p < labels.length; p++) {
      if (number[labels[p]] < 0) number[labels[p]] = count++;
      out[p] = number[labels[p]];
    }
    return out;
  }

  /**
   * Every pair of 8-connected neighbours as one long: the colour distance's float bits above (a
   * distance is never negative, so the longs sort as the distances do), below the first pixel and
   * which neighbour (0 right, 1 down, 2 down-right, 3 down-left).
   */
  private static long[] edges(float[] rgb, int h, int w) {
    int n = h * w;
    long[] out = new long[4 * n];
    int count = 0;
    int[][] steps = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int d = 0; d < 4; d++) {
          int y2 = y + steps[d][0], x2 = x + steps[d][1];
          if (y2 >= h || x2 < 0 || x2 >= w) continue;
          int p = y * w + x, q = y2 * w + x2;
          double sum = 0;
          for (int c = 0; c < 3; c++) {
            // [-1, 1] to 0-255
            double v = (rgb[c * n + p] - rgb[c * n + q]) * 127.5;
            sum += v * v;
          }
          long bits = Float.floatToIntBits((float) Math.sqrt(sum));
          out[count++] = bits << 32 | (long) p << 2 | d;
        }
      }
    }
    return Arrays.copyOf(out, count);
  }

  private static int first(long edge) {
    return (int) ((edge & 0xFFFFFFFFL) >>> 2);
  }

  private static int second(long edge, int w) {
    int p = first(edge);
    return switch ((int) (edge & 3)) {
      case 0 -> p + 1;
      case 1 -> p + w;
      case 2 -> p + w + 1;
      default -> p + w - 1;
    };
  }

  private static int root(int[] parent, int p) {
    while (parent[p] != p) {
      parent[p] = parent[parent[p]];
      p = parent[p];
    }
    return p;
  }

  /** Joins two roots, the smaller under the larger; returns the new root. */
  private static int join(int[] parent, int[] size, int a, int b) {
    if (size[a] < size[b]) {
      int t = a;
      a = b;
      b = t;
    }
    parent[b] = a;
    size[a] += size[b];
    return a;
  }
}
