package dev.viaspark.metrics;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_RELATIVE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowFarneback;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Where each pixel of source frame t was in frame t-1, and which of those pixels to trust.
 *
 * <p>Flow: OpenCV Farneback on 8-bit gray with OpenCV's reference settings (pyramid scale 0.5, 3
 * levels, window 15, 3 iterations, polynomial n = 5, sigma 1.2, no flags), computed both ways.
 *
 * <p>A pixel is valid when the point it samples in t-1 lies inside the image (no border
 * extrapolation) and it passes the forward-backward check of Sundaram, Brox and Keutzer (ECCV
 * 2010): with b the backward flow at x and f the forward flow at x + b, {@code |b + f|^2 < 0.01
 * (|b|^2 + |f|^2) + 0.5}. Pixels hidden in t-1 (disocclusions) fail it, so revealed content does
 * not count as flicker.
 *
 * <p>The Mats are allocated in, and released with, the caller's {@link
 * org.bytedeco.javacpp.PointerScope}.
 */
final class SourceMotion {
  private static final double PYR_SCALE = 0.5;
  private static final int LEVELS = 3;
  private static final int WINDOW = 15;
  private static final int ITERATIONS = 3;
  private static final int POLY_N = 5;
  private static final double POLY_SIGMA = 1.2;

  private static final double CONSISTENCY_ALPHA = 0.01;
  private static final double CONSISTENCY_BETA = 0.5;

  /** Relative remap flags: {@code dst(x) = src(x + flow(x))}, bilinear. */
  private static final int WARP_BY_FLOW = INTER_LINEAR | WARP_RELATIVE_MAP;

  /** CV_32FC2 offsets from each pixel of t to its position in t-1. */
  final Mat backwardFlow;

  /** CV_8UC1, 255 where the motion is trusted. */
  final Mat valid;

  final int validPixels;

  private SourceMotion(Mat backwardFlow, Mat valid, int validPixels) {
    this.backwardFlow = backwardFlow;
    this.valid = valid;
    this.validPixels = validPixels;
  }

  static SourceMotion between(Mat previousGray, Mat currentGray) {
    Mat backward = flow(currentGray, previousGray);
    Mat forwardAtOrigin = warp(flow(previousGray, currentGray), backward);
    Mat valid = new Mat(currentGray.rows(), currentGray.cols(), CV_8UC1);
    int validPixels = markValid(backward, forwardAtOrigin, valid);
    return new SourceMotion(backward, valid, validPixels);
  }

  /**
   * Samples {@code image} of frame t-1 at the positions the flow gives for each pixel of frame t.
   */
  static Mat warp(Mat image, Mat backwardFlow) {
    Mat warped = new Mat();
    remap(image, warped, backwardFlow, new Mat(), WARP_BY_FLOW, BORDER_CONSTANT, new Scalar());
    return warped;
  }

  /** Flow d such that {@code from(x) ≈ to(x + d(x))}. */
  private static Mat flow(Mat from, Mat to) {
    Mat flow = new Mat();
    calcOpticalFlowFarneback(
        from, to, flow, PYR_SCALE, LEVELS, WINDOW, ITERATIONS, POLY_N, POLY_SIGMA, 0);
    return flow;
  }

  private static int markValid(Mat backward, Mat forwardAtOrigin, Mat valid) {
    int w = valid.cols();
    int h = valid.rows();
    FloatBuffer b = backward.createBuffer();
    FloatBuffer f = forwardAtOrigin.createBuffer();
    ByteBuffer out = valid.createBuffer();
    int count = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float bx = b.get(2 * i);
        float by = b.get(2 * i + 1);
        float fx = f.get(2 * i);
        float fy = f.get(2 * i + 1);
        float sx = x + bx;
        float sy = y + by;
        boolean inside = sx >= 0 && sy >= 0 && sx <= w - 1 && sy <= h - 1;
        double roundTrip = sq(bx + fx) + sq(by + fy);
        double tolerance =
            CONSISTENCY_ALPHA * (sq(bx) + sq(by) + sq(fx) + sq(fy)) + CONSISTENCY_BETA;
        boolean ok = inside && roundTrip < tolerance;
        out.put(i, ok ? (byte) 255 : 0);
        if (ok) count++;
      }
    }
    return count;
  }

  private static double sq(double v) {
    return v * v;
  }
}
