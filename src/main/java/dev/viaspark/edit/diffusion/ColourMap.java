package dev.viaspark.edit.diffusion;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;

/**
 * The colour map of an edited frame: an affine map of RGB ({@code out = A in + b}) fitted by least
 * squares from a source frame's pixels to the same pixels of its edited version, under a region,
 * then applied to the masked region of every frame. For a reference that is frame 0 edited in
 * another tool: an affine map can recolour, shift, desaturate or invert, and it carries the edit to
 * frames whose content moved, since it maps colours, not positions.
 *
 * <p>The fit is pulled towards the identity matrix with the weight of a spread of {@link #PRIOR}
 * levels per pixel, so a region of one colour (a flat shape: no spread to fit a matrix from) gets
 * the identity and the shift from its colour to the edited one.
 */
final class ColourMap implements ReferenceColours {
  static final double PRIOR = 5;

  private final double[][] matrix;
  private final double[] offset;

  private ColourMap(double[][] matrix, double[] offset) {
    this.matrix = matrix;
    this.offset = offset;
  }

  /**
   * @param region one byte per pixel (how much a pixel counts in the fit), or null for all of them
   * @throws IllegalArgumentException when the frames' sizes differ or the region is empty
   */
  static ColourMap fit(VideoFrame source, VideoFrame edited, byte[] region) {
    if (source.width() != edited.width() || source.height() != edited.height()) {
      throw new IllegalArgumentException(
          "the reference is "
              + edited.width()
              + "x"
              + edited.height()
              + ", frame 0 "
              + source.width()
              + "x"
              + source.height());
    }
    int pixels = ReferenceColours.pixels(source, region);
    byte[] x = source.rgb(), y = edited.rgb();
    double total = 0;
    double[] mx = new double[3], my = new double[3];
    for (int p = 0; p < pixels; p++) {
      double w = region == null ? 1 : (region[p] & 0xff) / 255.0;
      total += w;
      for (int c = 0; c < 3; c++) {
        mx[c] += w * (x[3 * p + c] & 0xff);
        my[c] += w * (y[3 * p + c] & 0xff);
      }
    }
    if (total == 0) throw new IllegalArgumentException("the reference's region is empty");
    for (int c = 0; c < 3; c++) {
      mx[c] /= total;
      my[c] /= total;
    }
    // normal equations of the centred fit, one right-hand side per output channel
    double prior = PRIOR * PRIOR * total;
    double[][] xx = new double[3][3], xy = new double[3][3];
    for (int p = 0; p < pixels; p++) {
      double w = region == null ? 1 : (region[p] & 0xff) / 255.0;
      if (w == 0) continue;
      for (int i = 0; i < 3; i++) {
        double xi = (x[3 * p + i] & 0xff) - mx[i];
        for (int j = 0; j < 3; j++) {
          xx[i][j] += w * xi * ((x[3 * p + j] & 0xff) - mx[j]);
          xy[i][j] += w * xi * ((y[3 * p + j] & 0xff) - my[j]);
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      xx[i][i] += prior;
      xy[i][i] += prior;
    }
    double[][] inverse = inverse(xx);
    double[][] matrix = new double[3][3]; // matrix[out][in]
    for (int out = 0; out < 3; out++) {
      for (int in = 0; in < 3; in++) {
        for (int k = 0; k < 3; k++) matrix[out][in] += inverse[in][k] * xy[k][out];
      }
    }
    double[] offset = new double[3];
    for (int out = 0; out < 3; out++) {
      offset[out] = my[out];
      for (int in = 0; in < 3; in++) offset[out] -= matrix[out][in] * mx[in];
    }
    return new ColourMap(matrix, offset);
  }

  /**
   * How far the map misses {@code edited} from {@code source}: the mean absolute difference over
   * the region's pixels and channels (weighted by it), 0-255. A colour edit leaves a few levels
   * (edges, rounding); an edit that depends on position (a pattern, a texture) leaves tens.
   */
  double residual(VideoFrame source, VideoFrame edited, byte[] region) {
    int pixels = ReferenceColours.pixels(source, region);
    byte[] mapped = transfer(source, full(pixels)).rgb(), y = edited.rgb();
    double sum = 0, total = 0;
    for (int p = 0; p < pixels; p++) {
      double w = region == null ? 1 : (region[p] & 0xff) / 255.0;
      total += w;
      for (int c = 3 * p; c < 3 * p + 3; c++)
        sum += w * Math.abs((mapped[c] & 0xff) - (y[c] & 0xff));
    }
    return total == 0 ? 0 : sum / (3 * total);
  }

  private static byte[] full(int pixels) {
    byte[] m = new byte[pixels];
    Arrays.fill(m, (byte) 255);
    return m;
  }

  @Override
  public VideoFrame transfer(VideoFrame frame, byte[] mask) {
    return ReferenceColours.apply(
        frame,
        mask,
        (v, c) -> offset[c] + matrix[c][0] * v[0] + matrix[c][1] * v[1] + matrix[c][2] * v[2]);
  }

  /** The inverse of a symmetric positive definite 3x3 matrix, by its cofactors. */
  private static double[][] inverse(double[][] m) {
    double[][] co = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
        co[j][i] = m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1];
      }
    }
    double det = m[0][0] * co[0][0] + m[0][1] * co[1][0] + m[0][2] * co[2][0];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) co[i][j] /= det;
    return co;
  }
}
