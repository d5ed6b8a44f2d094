package dev.viaspark.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    File src =
        new SyntheticVideo()
            .size(160, 120)
            .fps(25, 1)
            .frames(75)
            .gop(25)
            .write(new File(dir, "in.mp4"));
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
          SegmentWriter w =
              new SegmentWriter(
                  part,
                  info.width(),
                  info.height(),
                  info.frameRate(),
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
    assertTimestampsEqual(
        VideoProbe.framePts(src), info.timeBase(), VideoProbe.framePts(out), o.timeBase());
    assertEquals(info.audioDurationSeconds(), o.audioDurationSeconds(), 1024.0 / 44100);
    assertEquals(info.audioCodec(), o.audioCodec());

    try (SegmentReader a = new SegmentReader(src, info.firstPts(), 0, 75);
        SegmentReader b = new SegmentReader(out, o.firstPts(), 0, 75)) {
      for (int i = 0; i < 75; i++) assertArrayEquals(a.next().rgb(), b.next().rgb(), "frame " + i);
    }
  }

  /**
   * A segment whose writes are lost (a full disk; /dev/full fails every write with ENOSPC, which
   * FFmpeg's muxer does not report) fails when it is closed instead of passing as finished.
   */
  @Test
  void aSegmentWhoseWritesAreLostFailsWhenClosed() {
    File full = new File("/dev/full");
    assumeTrue(full.canWrite(), "needs Linux's /dev/full");
    File src =
        new SyntheticVideo().size(64, 48).fps(25, 1).frames(10).write(new File(dir, "in.mp4"));
    VideoInfo info = VideoProbe.probe(src);
    VideoException e =
        assertThrows(
            VideoException.class,
            () -> {
              try (SegmentReader r = new SegmentReader(src, info.firstPts(), 0, 10);
                  SegmentWriter w =
                      new SegmentWriter(
                          full,
                          64,
                          48,
                          info.frameRate(),
                          EncoderSettings.defaults(OutputCodec.FFV1))) {
                VideoFrame f;
                while ((f = r.next()) != null) w.write(f);
              }
            });
    assertTrue(e.getMessage().contains("/dev/full"), e.getMessage());
    assertTrue(e.getMessage().contains("of the 10 frames written"), e.getMessage());
  }

  /**
   * Lossy encoders keep the picture and its colours (an R/B swap or a chroma shift fails the PSNR
   * floor).
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"H264, 160, 120", "MPEG4, 160, 120", "MPEG4, 161, 121"})
  void lossyEncodersKeepThePicture(OutputCodec codec, int width, int height) {
    File src =
        new SyntheticVideo()
            .size(width, height)
            .fps(25, 1)
            .frames(10)
            .gop(10)
            .codec(OutputCodec.FFV1)
            .format("matroska")
            .write(new File(dir, "in.mkv"));
    VideoInfo info = VideoProbe.probe(src);
    File part = new File(dir, "seg.mkv");
    List<VideoFrame> originals = new ArrayList<>();
    try (SegmentReader r = new SegmentReader(src, info.firstPts(), 0, 10);
        SegmentWriter w =
            new SegmentWriter(
                part,
                width,
                height,
                info.frameRate(),
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

  /**
   * nextDecoded() gives the frames next() gives (same indices, and toRgb() the same bytes), from a
   * mid-video keyframe.
   */
  @Test
  void decodedFramesAreTheFramesNextReturns() {
    File src =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(40)
            .gop(20)
            .write(new File(dir, "in.mp4"));
    Segment second = SegmentPlanner.plan(VideoProbe.probe(src), 20).get(1);
    assertEquals(20, second.start());
    try (SegmentReader a =
            new SegmentReader(src, second.startPts(), second.start(), second.frames());
        SegmentReader b =
            new SegmentReader(src, second.startPts(), second.start(), second.frames())) {
      for (int i = 0; i < second.frames(); i++) {
        VideoFrame rgb = a.next();
        DecodedFrame d = b.nextDecoded();
        assertEquals(20 + i, d.index());
        assertEquals(rgb.index(), d.index());
        assertArrayEquals(rgb.rgb(), d.toRgb().rgb(), "frame " + d.index());
      }
      assertNull(a.next());
      assertNull(b.nextDecoded());
    }
    try (SegmentReader r =
        new SegmentReader(src, second.startPts(), second.start(), second.frames())) {
      DecodedFrame d = r.nextDecoded();
      r.next();
      assertThrows(
          IllegalStateException.class,
          d::toRgb,
          "a decoded frame is a view, gone after the next call");
    }
  }

  /**
   * A 4:2:0 encoder fed decoded frames encodes their YUV samples as they are (no YUV->RGB->YUV),
   * and the result matches the RGB path within the encoder's tolerance, at least as close to the
   * source.
   */
  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"H264, 160, 120", "MPEG4, 160, 120", "MPEG4, 161, 121"})
  void decodedFramesSkipTheColourConversionsAndMatchTheRgbPath(
      OutputCodec codec, int width, int height) {
    // OpenH264 cannot write odd sizes: the odd-size source is MPEG-4 Part 2 (also yuv420p)
    File src =
        new SyntheticVideo()
            .size(width, height)
            .fps(25, 1)
            .frames(10)
            .gop(10)
            .codec(width % 2 == 0 ? OutputCodec.H264 : OutputCodec.MPEG4)
            .write(new File(dir, "in.mp4"));
    VideoInfo info = VideoProbe.probe(src);
    EncoderSettings settings = new EncoderSettings(codec, 4.0, 0, 2.0, 1);
    File viaRgb = new File(dir, "rgb.mkv"), asDecoded = new File(dir, "decoded.mkv");
    try (SegmentReader r = new SegmentReader(src, info.firstPts(), 0, 10);
        SegmentWriter w = new SegmentWriter(viaRgb, width, height, info.frameRate(), settings)) {
      for (VideoFrame f; (f = r.next()) != null; ) w.write(f);
    }
    try (SegmentReader r = new SegmentReader(src, info.firstPts(), 0, 10);
        SegmentWriter w = new SegmentWriter(asDecoded, width, height, info.frameRate(), settings)) {
      for (DecodedFrame f; (f = r.nextDecoded()) != null; ) w.write(f);
      assertEquals(10, w.written());
      assertEquals(0, w.converted(), "yuv420p frames reach a yuv420p encoder without conversion");
    }
    List<VideoFrame> source = decodeAll(src),
        rgbPath = decodeAll(viaRgb),
        decodedPath = decodeAll(asDecoded);
    assertEquals(10, decodedPath.size());
    for (int i = 0; i < 10; i++) {
      byte[] s = source.get(i).rgb(), a = rgbPath.get(i).rgb(), b = decodedPath.get(i).rgb();
      double paths = psnr(a, b), fromRgb = psnr(s, a), fromDecoded = psnr(s, b);
      assertTrue(
          paths > 35, codec + " frame " + i + ": the two paths differ, PSNR " + paths + " dB");
      assertTrue(
          fromDecoded > 35, codec + " frame " + i + ": PSNR to the source " + fromDecoded + " dB");
      assertTrue(
          fromDecoded > fromRgb - 0.5,
          codec
              + " frame "
              + i
              + ": as decoded "
              + fromDecoded
              + " dB from the source, through RGB "
              + fromRgb
              + " dB");
    }
  }

  /**
   * ffv1 stores RGB: decoded frames go through RGB24 there, so the output is bit-exact with the RGB
   * path's.
   */
  @Test
  void decodedFramesToALosslessRgbEncoderKeepTheExactRgb() {
    File src =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(10)
            .gop(10)
            .write(new File(dir, "in.mp4"));
    VideoInfo info = VideoProbe.probe(src);
    File out = new File(dir, "out.mkv");
    try (SegmentReader r = new SegmentReader(src, info.firstPts(), 0, 10);
        SegmentWriter w =
            new SegmentWriter(
                out, 96, 64, info.frameRate(), EncoderSettings.defaults(OutputCodec.FFV1))) {
      for (DecodedFrame f; (f = r.nextDecoded()) != null; ) w.write(f);
      assertEquals(10, w.converted());
    }
    List<VideoFrame> a = decodeAll(src), b = decodeAll(out);
    for (int i = 0; i < 10; i++) assertArrayEquals(a.get(i).rgb(), b.get(i).rgb(), "frame " + i);
  }

  static List<VideoFrame> decodeAll(File f) {
    VideoInfo info = VideoProbe.probe(f);
    List<VideoFrame> frames = new ArrayList<>();
    try (SegmentReader r = new SegmentReader(f, info.firstPts(), 0, info.frameCount())) {
      for (VideoFrame x; (x = r.next()) != null; ) frames.add(x);
    }
    return frames;
  }

  static double psnr(byte[] a, byte[] b) {
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xff) - (b[i] & 0xff);
      se += d * d;
    }
    return 10 * Math.log10(255.0 * 255.0 / Math.max(se / a.length, 1e-12));
  }

  /**
   * Per-frame timestamps relative to the first frame, equal to within the coarser time base's
   * rounding.
   */
  static void assertTimestampsEqual(long[] a, Rational tbA, long[] b, Rational tbB) {
    assertEquals(a.length, b.length, "frame count");
    double tolerance = Math.max(tbA.value(), tbB.value());
    for (int i = 0; i < a.length; i++) {
      double ta = (a[i] - a[0]) * tbA.value(), tb = (b[i] - b[0]) * tbB.value();
      assertEquals(ta, tb, tolerance, "timestamp of frame " + i);
    }
  }
}
