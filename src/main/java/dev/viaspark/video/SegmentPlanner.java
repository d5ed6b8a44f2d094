package dev.viaspark.video;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan stage: cuts a video into keyframe-aligned segments of about {@code target} frames, so
 * that every frame is in exactly one segment and every segment can be decoded from its own first
 * frame.
 */
public final class SegmentPlanner {
  private SegmentPlanner() {}

  public static List<Segment> plan(VideoInfo info, int target) {
    int[] cuts = cuts(info.frameCount(), info.keyframes(), target);
    List<Segment> segments = new ArrayList<>(cuts.length - 1);
    for (int i = 0; i + 1 < cuts.length; i++) {
      long pts = cuts[i] == 0 ? info.firstPts() : info.ptsOfKeyframe(cuts[i]);
      segments.add(new Segment(i, cuts[i], cuts[i + 1], pts));
    }
    return segments;
  }

  /**
   * Segment boundaries: 0, then keyframes, then {@code frameCount}. From each start, the next cut
   * is the keyframe nearest to start + target (ties go to the earlier one); a video whose keyframes
   * are further apart than the target gets longer segments, never a cut that is not a keyframe.
   */
  static int[] cuts(int frameCount, int[] keyframes, int target) {
    if (frameCount <= 0) throw new IllegalArgumentException("no frames");
    if (target <= 0) throw new IllegalArgumentException("segment size must be positive");
    List<Integer> cuts = new ArrayList<>();
    cuts.add(0);
    int start = 0;
    int k = 0;
    while (true) {
      while (k < keyframes.length && keyframes[k] <= start) k++;
      if (k == keyframes.length || keyframes[k] >= frameCount) break;
      int want = start + target;
      int best = k;
      while (best + 1 < keyframes.length
          && keyframes[best + 1] < frameCount
          && Math.abs(keyframes[best + 1] - want) < Math.abs(keyframes[best] - want)) {
        best++;
      }
      if (keyframes[best] >= frameCount) break;
      if (frameCount - keyframes[best] < 1) break;
      // the end of the video is a cut too: when it is nearer the target, this segment runs to the
      // end
      if (Math.abs(frameCount - want) < Math.abs(keyframes[best] - want)) break;
      start = keyframes[best];
      cuts.add(start);
      k = best + 1;
    }
    cuts.add(frameCount);
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }
}
