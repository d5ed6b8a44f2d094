package dev.viaspark.via;

import dev.viaspark.video.VideoFrame;
import java.util.SplittableRandom;

/**
 * The augmentations of Via's test-time editing adaptation (section 4.1): one random affine
 * transform, applied alike to a source frame and its edited version, so that a tuning set made from
 * a single edited frame shows its edit at other positions, angles and scales. Rotation up to
 * {@value #MAX_ROTATION_DEGREES} degrees, shear up to {@value #MAX_SHEAR_DEGREES} degrees, a crop
 * keeping {@value #MIN_CROP} to 1 of each side (scaled back to the full frame) and a translation up
 * to {@value #MAX_TRANSLATION} of each side, about the frame's centre; bilinear sampling, borders
 * mirrored.
 */
public final class PairAugmentation {
  static final double MAX_ROTATION_DEGREES = 5;
  static final double MAX_SHEAR_DEGREES = 10;
  static final double MIN_CROP = 0.75;
  static final double MAX_TRANSLATION = 0.05;

  private PairAugmentation() {}

  /** {@code source} and {@code edited} (same size) through one transform drawn from {@code rng}. */
  public static VideoFrame[] apply(VideoFrame source, VideoFrame edited, SplittableRandom rng) {
    if (source.width() != edited.width() || source.height() != edited.height()) {
      throw new IllegalArgumentException(
          "an augmented pair needs frames of one size, not "
              + source.width()
              + "x"
              + source.height()
              + " and "
              + edited.width()
              + "x"
              + edited.height());
    }
    double theta = Math.toRadians(uniform(rng, MAX_ROTATION_DEGREES));
    double shear = Math.tan(Math.toRadians(uniform(rng, MAX_SHEAR_DEGREES)));
    double zoom = 1 / (MIN_CROP + rng.nextDouble() * (1 - MIN_CROP));
    double tx = uniform(rng, MAX_TRANSLATION) * source.width();
    double ty = uniform(rng, MAX_TRANSLATION) * source.height();
    // forward map about the centre: rotation . shear . zoom; the sampler needs its inverse
    double cos = Math.cos(theta), sin = Math.sin(theta);
    double a = zoom * cos, b = zoom * (cos * shear - sin);
    double c = zoom * sin, d = zoom * (sin * shear + cos);
    double det = a * d - b * c;
    double[] inverse = {d / det, -b / det, -c / det, a / det, tx, ty};
    return new VideoFrame[] {warp(source, inverse), warp(edited, inverse)};
  }

  private static double uniform(SplittableRandom rng, double bound) {
    return (rng.nextDouble() * 2 - 1) * bound;
  }

  private static VideoFrame warp(VideoFrame f, double[] m) {
    int w = f.width(), h = f.height();
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    byte[] in = f.rgb();
    byte[] out = new byte[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = x - cx - m[4], v = y - cy - m[5];
        double sx = m[0] * u + m[1] * v + cx;
        double sy = m[2] * u + m[3] * v + cy;
        int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
        double fx = sx - x0, fy = sy - y0;
        for (int ch = 0; ch < 3; ch++) {
          double top =
              sample(in, w, h, x0, y0, ch) * (1 - fx) + sample(in, w, h, x0 + 1, y0, ch) * fx;
          double bottom =
              sample(in, w, h, x0, y0 + 1, ch) * (1 - fx)
                  + sample(in, w, h, x0 + 1, y0 + 1, ch) * fx;
          out[(y * w + x) * 3 + ch] = (byte) Math.round(top * (1 - fy) + bottom * fy);
        }
      }
    }
    return f.withPixels(out);
  }

  private static int sample(byte[] rgb, int w, int h, int x, int y, int ch) {
    return rgb[(mirror(y, h) * w + mirror(x, w)) * 3 + ch] & 0xff;
  }

  /** Reflects an index into [0, n) about the edges, the edge pixel not repeated. */
  private static int mirror(int i, int n) {
    if (n == 1) return 0;
    int period = 2 * (n - 1);
    int r = Math.floorMod(i, period);
    return r < n ? r : period - r;
  }
}
