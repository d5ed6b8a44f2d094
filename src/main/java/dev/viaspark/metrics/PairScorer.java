package dev.viaspark.metrics;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.mean;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Scores one pair of consecutive frames (t-1, t); see {@link TemporalMetrics} for the definitions.
 */
final class PairScorer {
  private PairScorer() {}

  /** Frames must all have the same size (checked by the caller). */
  static TemporalScores score(
      VideoFrame sourcePrevious, VideoFrame source, VideoFrame outputPrevious, VideoFrame output) {
    // every Mat and Scalar allocated for this pair is released when the scope closes
    try (PointerScope scope = new PointerScope()) {
      Mat outPrev = Mats.rgb(outputPrevious);
      Mat out = Mats.rgb(output);
      double frameDiff = meanAbsDiff(outPrev, out);
      if (Arrays.equals(sourcePrevious.rgb(), source.rgb())) {
        // A still source has no motion; Farneback would still report up to ~0.1 px near the
        // borders.
        return new TemporalScores(frameDiff, 0, frameDiff, 0, 1);
      }
      Mat srcPrev = Mats.rgb(sourcePrevious);
      Mat src = Mats.rgb(source);
      SourceMotion motion = SourceMotion.between(Mats.gray(srcPrev), Mats.gray(src));
      return new TemporalScores(
          warpError(outPrev, out, motion),
          warpError(srcPrev, src, motion),
          frameDiff,
          meanAbsDiff(srcPrev, src),
          1);
    }
  }

  /**
   * Mean |warp(previous) - current| over the valid pixels, in float so that interpolation is not
   * rounded. Without any valid pixel there is no usable motion, and the pair scores its plain frame
   * difference.
   */
  private static double warpError(Mat previous, Mat current, SourceMotion motion) {
    if (motion.validPixels == 0) return meanAbsDiff(previous, current);
    Mat warped = SourceMotion.warp(Mats.floats(previous), motion.backwardFlow);
    return meanAbsDiff(warped, Mats.floats(current), motion.valid);
  }

  private static double meanAbsDiff(Mat a, Mat b) {
    return meanAbsDiff(a, b, new Mat()); // an empty mask selects every pixel
  }

  /** Mean absolute difference over the RGB channels of the pixels in {@code mask}. */
  private static double meanAbsDiff(Mat a, Mat b, Mat mask) {
    Mat diff = new Mat();
    absdiff(a, b, diff);
    Scalar perChannel = mean(diff, mask);
    return (perChannel.get(0) + perChannel.get(1) + perChannel.get(2)) / 3;
  }
}
