package dev.viaspark.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoRoundTripTest {
  @TempDir File dir;

  @Test
  void identitySegmentsReassembleToTheSameFramesTimestampsAndAudio() {
    File src = new SyntheticVideo().size(160, 120).fps(25, 1).frames(75).gop(25).write(new File(dir, "in.mp4"));
    VideoInfo info = VideoProbe.probe(src);
    assertEquals(75, info.frameCount());
    assertArrayEquals(new int[] {0, 25, 50}, info.keyframes());
    assertTrue(info.hasAudio());
    System.out.println(info.describe());

    List<Segment> plan = SegmentPlanner.plan(info, 30);
    assertEquals(3, plan.size());
    List<File> parts = new ArrayList<>();
    for (Segment s : plan) {
      File part = new File(dir, "seg" + s.index() + ".mkv");
      try (SegmentReader r = new SegmentReader(src, s.startPts(), s.start(), s.frames());
          SegmentWriter w = new SegmentWriter(part, info.width(), info.height(), info.frameRate(),
              EncoderSettings.defaults(OutputCodec.FFV1))) {
        VideoFrame f;
        while ((f = r.next()) != null) w.write(f);
      }
      parts.add(part);
    }
    OutputContainer c = OutputContainer.choose("in.mp4", OutputCodec.FFV1, info.audioCodec());
    File out = new File(dir, "out." + c.extension());
    assertEquals(75, Assembler.assemble(src, parts, out, c.muxer()));
    VideoInfo o = VideoProbe.probe(out);
    System.out.println(o.describe());
    assertEquals(75, o.frameCount());
    assertTimestampsEqual(VideoProbe.framePts(src), info.timeBase(), VideoProbe.framePts(out), o.timeBase());
    assertEquals(info.audioDurationSeconds(), o.audioDurationSeconds(), 1024.0 / 44100);
    assertEquals(info.audioCodec(), o.audioCodec());

    try (SegmentReader a = new SegmentReader(src, info.firstPts(), 0, 75);
        SegmentReader b = new SegmentReader(out, o.firstPts(), 0, 75)) {
      for (int i = 0; i < 75; i++) assertArrayEquals(a.next().rgb(), b.next().rgb(), "frame " + i);
    }
  }

  /** Per-frame timestamps relative to the first frame, equal to within the coarser time base's rounding. */
  static void assertTimestampsEqual(long[] a, Rational tbA, long[] b, Rational tbB) {
    assertEquals(a.length, b.length, "frame count");
    double tolerance = Math.max(tbA.value(), tbB.value());
    for (int i = 0; i < a.length; i++) {
      double ta = (a[i] - a[0]) * tbA.value(), tb = (b[i] - b[0]) * tbB.value();
      assertEquals(ta, tb, tolerance, "timestamp of frame " + i);
    }
  }
}
