package dev.viaspark.video;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Decoded frames of a local video file, for commands that look at pictures outside Spark. */
public final class VideoFrames {
  private VideoFrames() {}

  /** The first {@code n} frames (all of them when the video is shorter), in display order. */
  public static List<VideoFrame> first(File video, int n) {
    VideoInfo info = VideoProbe.probe(video);
    int count = Math.min(n, info.frameCount());
    Segment first = SegmentPlanner.plan(info, info.frameCount()).get(0);
    List<VideoFrame> out = new ArrayList<>();
    try (SegmentReader r = new SegmentReader(video, first.startPts(), 0, count)) {
      for (int i = 0; i < count; i++) out.add(r.next());
    }
    return out;
  }
}
