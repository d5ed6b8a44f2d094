package dev.viaspark.via;

import dev.viaspark.metrics.MotionChain;
import dev.viaspark.video.VideoFrame;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What was made on a few keyframes of a video (a guide's edit, an anchor's edited region), carried
 * onto each frame from the last keyframe at or before it, frame to frame along the source's motion
 * through every frame between ({@link MotionChain}, one step per pair of consecutive frames, where
 * the displacements are small enough for the optical flow to follow). Frames are cheapest asked for
 * in ascending order: the carrier continues from the frame before, and otherwise walks again from
 * the keyframe, reading the frames between with {@code sourceAt}. Either way a frame comes out the
 * same, so the output does not depend on segmentation.
 *
 * @param <T> what a frame is given
 */
final class KeyframeCarrier<T> {
  private final int[] keyframes;
  private final IntFunction<MotionChain> start;
  private final BiFunction<MotionChain, VideoFrame, T> step;
  private final BiFunction<Integer, VideoFrame, T> atKeyframe;
  private final Function<VideoFrame, T> beforeFirst;
  private final IntFunction<VideoFrame> sourceAt;
  private int keyframe = -1;
  private MotionChain chain;

  /**
   * @param keyframes the keyframes' indices, ascending
   * @param start a chain starting at the i-th keyframe
   * @param step moves a chain on to a frame and returns what it carried there
   * @param atKeyframe what the i-th keyframe's own frame is given
   * @param beforeFirst what a frame before the first keyframe is given
   * @param sourceAt the video's source frame of an index
   */
  KeyframeCarrier(
      int[] keyframes,
      IntFunction<MotionChain> start,
      BiFunction<MotionChain, VideoFrame, T> step,
      BiFunction<Integer, VideoFrame, T> atKeyframe,
      Function<VideoFrame, T> beforeFirst,
      IntFunction<VideoFrame> sourceAt) {
    this.keyframes = keyframes.clone();
    this.start = start;
    this.step = step;
    this.atKeyframe = atKeyframe;
    this.beforeFirst = beforeFirst;
    this.sourceAt = sourceAt;
  }

  /** What {@code frame} (a source frame) is given. */
  T carry(VideoFrame frame) {
    int g = -1;
    for (int i = 0; i < keyframes.length && keyframes[i] <= frame.index(); i++) g = i;
    if (g < 0) return beforeFirst.apply(frame);
    if (keyframes[g] == frame.index()) {
      startChain(g);
      return atKeyframe.apply(g, frame);
    }
    if (g != keyframe || chain.index() != frame.index() - 1) {
      startChain(g);
      for (int i = keyframes[g] + 1; i < frame.index(); i++) step.apply(chain, sourceAt.apply(i));
    }
    return step.apply(chain, frame);
  }

  private void startChain(int g) {
    keyframe = g;
    chain = start.apply(g);
  }
}
