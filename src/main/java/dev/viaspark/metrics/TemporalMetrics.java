package dev.viaspark.metrics;

import dev.viaspark.video.VideoFrame;

/**
 * Accumulates the temporal-consistency scores of an edit, fed one (source, output) frame pair at a
 * time in presentation order, so a task can score a segment while holding only the previous pair.
 *
 * <p>For each consecutive pair (t-1, t), dense optical flow is estimated on the SOURCE frames,
 * backward from t to t-1 (OpenCV Farneback, fixed settings in {@link SourceMotion}). Then:
 *
 * <ul>
 *   <li>warp error: output t-1 is warped into frame t with that flow (bilinear {@code remap}), and
 *       the mean absolute difference to output t is taken over RGB and over the valid pixels: those
 *       that sample inside frame t-1 and pass a forward-backward consistency check, which excludes
 *       occlusions;
 *   <li>source warp error: the same with the source frames and the same pixels; flow and
 *       interpolation errors keep it above 0, and it is the floor a perfect edit can reach;
 *   <li>frame difference: mean absolute RGB difference of output t-1 and t, and of source t-1 and
 *       t.
 * </ul>
 *
 * All differences are on the 0-255 scale; each score is the mean of its per-pair values. A pair
 * whose two source frames are identical has no motion, so no flow is computed and both warps are
 * the identity.
 *
 * <p>Segments: an accumulator scores the pairs inside the frames it is fed. To score the pair
 * across a segment boundary too, feed the previous segment's last frame pair first; otherwise that
 * pair is left out. Segment results combine with {@link TemporalScores#merge}.
 *
 * <p>Results are deterministic and do not depend on OpenCV's thread count: its threads split the
 * per-pixel steps (Farneback, remap) by rows, which does not change the arithmetic, and the means
 * are taken sequentially (the tests compare 1 thread with 4). So the global thread setting is left
 * alone.
 *
 * <p>Cost: about 85 ms per pair at 640x360 (measured on a shared 2-core AMD EPYC VM, the same with
 * 1 or 2 OpenCV threads), about 90% of it the two Farneback flows; the forward one only serves the
 * occlusion check. Native memory is released after each pair. Not thread-safe: one accumulator per
 * task.
 */
public final class TemporalMetrics {
  private VideoFrame previousSource;
  private VideoFrame previousOutput;
  private TemporalScores scores = TemporalScores.NONE;

  /**
   * Adds the next frame: the source frame and its edited output, with the same index and size; the
   * index must follow the previous frame's.
   */
  public void add(VideoFrame source, VideoFrame output) {
    requireSameSize(
        "source frame " + source.index(), source, "output frame " + output.index(), output);
    if (source.index() != output.index()) {
      throw new IllegalArgumentException(
          "source frame " + source.index() + " is paired with output frame " + output.index());
    }
    if (previousSource != null) {
      requireSameSize(
          "frame " + source.index(),
          source,
          "previous frame " + previousSource.index(),
          previousSource);
      if (source.index() != previousSource.index() + 1) {
        throw new IllegalArgumentException(
            "frame "
                + source.index()
                + " follows frame "
                + previousSource.index()
                + ": frames must be fed consecutively");
      }
      scores = scores.merge(PairScorer.score(previousSource, source, previousOutput, output));
    }
    previousSource = source;
    previousOutput = output;
  }

  /** The scores of the pairs fed so far ({@link TemporalScores#NONE} before the second frame). */
  public TemporalScores scores() {
    return scores;
  }

  private static void requireSameSize(
      String name, VideoFrame f, String otherName, VideoFrame other) {
    if (f.width() != other.width() || f.height() != other.height()) {
      throw new IllegalArgumentException(
          name + " is " + size(f) + " but " + otherName + " is " + size(other));
    }
  }

  private static String size(VideoFrame f) {
    return f.width() + "x" + f.height();
  }
}
