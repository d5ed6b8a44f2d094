package dev.viaspark.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /** Lossy encoders keep the picture and its colours (an R/B swap or a chroma shift fails the PSNR floor). */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"H264, 160, 120", "MPEG4, 160, 120", "MPEG4, 161, 121"})
  void lossyEncodersKeepThePicture(OutputCodec codec, int width, int height) {
    File src = new SyntheticVideo().size(width, height).fps(25, 1).frames(10).gop(10).codec(OutputCodec.FFV1)
        .format("matroska").write(new File(dir, "in.mkv"));
    VideoInfo info = VideoProbe.probe(src);
    File part = new File(dir, "seg.mkv");
    List<VideoFrame> originals = new ArrayList<>();
    try (SegmentReader r = new SegmentReader(src, info.firstPts(), 0, 10);
        SegmentWriter w = new SegmentWriter(part, width, height, info.frameRate(),
            new EncoderSettings(codec, 4.0, 0, 2.0, 1))) {
      VideoFrame f;
      while ((f = r.next()) != null) {
        originals.add(f);
        w.write(f);
      }
    }
    try (SegmentReader r = new SegmentReader(part, VideoProbe.probe(part).firstPts(), 0, 10)) {
      for (VideoFrame original : originals) {
        double psnr = psnr(original.rgb(), r.next().rgb());
        assertTrue(psnr > 30, codec + " frame " + original.index() + " PSNR " + psnr + " dB");
      }
    }
  }

  static double psnr(byte[] a, byte[] b) {
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xff) - (b[i] & 0xff);
      se += d * d;
    }
    return 10 * Math.log10(255.0 * 255.0 / Math.max(se / a.length, 1e-12));
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
