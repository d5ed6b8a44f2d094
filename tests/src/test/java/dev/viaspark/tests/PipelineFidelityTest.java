package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.OutputCodec;
import dev.viaspark.video.SegmentReader;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoException;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An identity edit must give back the input video: same frames, timestamps, fps, size, rotation and
 * audio, and with the lossless ffv1 codec the very same RGB pixels.
 */
class PipelineFidelityTest extends LocalSparkTest {
  @TempDir File dir;

  /**
   * name, input file name, generator, expected width/height, expected segments at
   * video.segment-frames=10.
   */
  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of(
            "h264 mp4 25 fps gop 25 with audio",
            "h264.mp4",
            (Supplier<SyntheticVideo>)
                () -> new SyntheticVideo().size(96, 64).fps(25, 1).frames(50).gop(25).audio(true),
            96,
            64,
            2),
        Arguments.of(
            "mpeg4 mkv 30000/1001 fps gop 15 no audio",
            "mpeg4.mkv",
            (Supplier<SyntheticVideo>)
                () ->
                    new SyntheticVideo()
                        .size(96, 64)
                        .fps(30000, 1001)
                        .frames(60)
                        .gop(15)
                        .codec(OutputCodec.MPEG4)
                        .audio(false),
            96,
            64,
            4),
        // OpenH264 cannot encode odd frame sizes (it crops to even), so the odd-size input is
        // MPEG-4 Part 2 in MP4
        Arguments.of(
            "mpeg4 mp4 odd size 161x121 with audio",
            "odd.mp4",
            (Supplier<SyntheticVideo>)
                () ->
                    new SyntheticVideo()
                        .size(161, 121)
                        .fps(25, 1)
                        .frames(30)
                        .gop(25)
                        .codec(OutputCodec.MPEG4)
                        .audio(true),
            161,
            121,
            2),
        Arguments.of(
            "h264 mp4 rotated 90 degrees",
            "rotated.mp4",
            (Supplier<SyntheticVideo>)
                () ->
                    new SyntheticVideo()
                        .size(96, 64)
                        .fps(25, 1)
                        .frames(40)
                        .gop(20)
                        .rotation(90)
                        .audio(true),
            96,
            64,
            2),
        Arguments.of(
            "h264 mp4 12 fps gop 7",
            "twelve.mp4",
            (Supplier<SyntheticVideo>)
                () -> new SyntheticVideo().size(96, 64).fps(12, 1).frames(30).gop(7).audio(true),
            96,
            64,
            4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void losslessIdentityEditKeepsEverything(
      String name,
      String fileName,
      Supplier<SyntheticVideo> video,
      int width,
      int height,
      int segments) {
    File inDir = new File(dir, "in");
    inDir.mkdirs();
    File input = video.get().write(new File(inDir, fileName));
    VideoInfo in = VideoProbe.probe(input);
    assertEquals(width, in.width(), "input fixture width");
    assertEquals(height, in.height(), "input fixture height");

    File outDir = new File(dir, "out");
    JobSummary summary =
        edit(
            input,
            outDir,
            "keep it",
            "edit.editor=identity",
            "output.codec=ffv1",
            "video.segment-frames=10");
    assertEquals(0, summary.exitCode(), describe(summary));
    ReportRow row = row(summary, fileName);
    assertEquals("ok", row.getStatus(), describe(summary));
    assertNull(row.getError());
    assertEquals(in.frameCount(), row.getFrames());
    assertEquals(
        segments,
        row.getSegments(),
        "segments of "
            + in.frameCount()
            + " frames with keyframes "
            + Arrays.toString(in.keyframes()));

    File output = new File(URI.create(row.getOutput()));
    assertTrue(output.isFile(), output + " exists");
    String stem = fileName.substring(0, fileName.lastIndexOf('.'));
    assertEquals(stem + ".mkv", output.getName(), "ffv1 goes to Matroska");
    VideoInfo out = VideoProbe.probe(output);
    assertEquals("ffv1", out.videoCodec());
    assertEquals(in.frameCount(), out.frameCount(), "frame count");
    assertEquals(in.width(), out.width(), "width");
    assertEquals(in.height(), out.height(), "height");
    assertEquals(in.rotation(), out.rotation(), "rotation");
    assertEquals(
        in.frameRate().value(),
        out.frameRate().value(),
        1e-6,
        "fps " + in.frameRate() + " vs " + out.frameRate());
    Media.assertTimestampsEqual(input, output);
    assertAudioCopied(in, out);
    Media.assertSamePixels(input, output);
  }

  @Test
  void defaultCodecKeepsFramesTimestampsAndAudio() {
    File input =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(50)
            .gop(25)
            .audio(true)
            .write(new File(dir, "clip.mp4"));
    VideoInfo in = VideoProbe.probe(input);
    File outDir = new File(dir, "out");
    JobSummary summary =
        edit(input, outDir, null, "edit.editor=identity", "video.segment-frames=10");
    assertEquals(0, summary.exitCode(), describe(summary));
    ReportRow row = row(summary, "clip.mp4");
    assertEquals("ok", row.getStatus());
    assertEquals("h264", row.getCodec());
    File output = new File(outDir, "clip.mp4");
    assertEquals(output.getAbsoluteFile(), new File(URI.create(row.getOutput())));
    VideoInfo out = VideoProbe.probe(output);
    assertEquals("h264", out.videoCodec());
    assertEquals(50, out.frameCount());
    assertEquals(96, out.width());
    assertEquals(64, out.height());
    assertEquals(25.0, out.frameRate().value(), 1e-6);
    Media.assertTimestampsEqual(input, output);
    assertAudioCopied(in, out);
    // lossy, but still the same pictures: every frame close to its source frame
    try (SegmentReader a = new SegmentReader(input, in.firstPts(), 0, 50);
        SegmentReader b = new SegmentReader(output, out.firstPts(), 0, 50)) {
      for (int i = 0; i < 50; i++) {
        double d = Media.meanAbsDiff(a.next().rgb(), b.next().rgb());
        assertTrue(d < 8, "frame " + i + " differs by " + d + " per byte on average");
      }
    }
  }

  @Test
  void anOddSizedVideoIsKeptAtItsSizeWithMpeg4WhenH264CannotAndTheRowSaysSo() {
    // OpenH264 encodes even sizes only: it used to crop 161x121 to 160x120 and report "ok"
    assertThrows(
        VideoException.class,
        () ->
            new SyntheticVideo()
                .size(161, 121)
                .frames(5)
                .audio(false)
                .write(new File(dir, "h264-odd.mp4")));
    File inDir = new File(dir, "in");
    inDir.mkdirs();
    File input =
        new SyntheticVideo()
            .size(161, 121)
            .fps(25, 1)
            .frames(30)
            .gop(25)
            .codec(OutputCodec.MPEG4)
            .audio(true)
            .write(new File(inDir, "odd.mp4"));

    File h264Out = new File(dir, "out-h264");
    JobSummary h264 = edit(input, h264Out, null, "edit.editor=identity", "video.segment-frames=10");
    assertEquals(0, h264.exitCode(), describe(h264));
    ReportRow row = row(h264, "odd.mp4");
    assertEquals("ok", row.getStatus());
    assertEquals("mpeg4", row.getCodec());
    Media.assertContains(row.getWarning(), "mpeg4", "161x121", "odd size", "h264");
    VideoInfo kept = VideoProbe.probe(new File(h264Out, "odd.mp4"));
    assertEquals("mpeg4", kept.videoCodec());
    assertEquals(161, kept.width());
    assertEquals(121, kept.height());
    assertEquals(30, kept.frameCount());
    Media.assertTimestampsEqual(input, new File(h264Out, "odd.mp4"));

    File mpeg4Out = new File(dir, "out-mpeg4");
    JobSummary mpeg4 =
        edit(
            input,
            mpeg4Out,
            null,
            "edit.editor=identity",
            "output.codec=mpeg4",
            "video.segment-frames=10");
    assertEquals(0, mpeg4.exitCode(), describe(mpeg4));
    assertNull(row(mpeg4, "odd.mp4").getWarning(), "mpeg4 was asked for: nothing to warn of");
    VideoInfo out = VideoProbe.probe(new File(mpeg4Out, "odd.mp4"));
    assertEquals("mpeg4", out.videoCodec());
    assertEquals(161, out.width());
    assertEquals(121, out.height());
    assertEquals(30, out.frameCount());
    Media.assertTimestampsEqual(input, new File(mpeg4Out, "odd.mp4"));
  }

  /**
   * identity needs no pixels, so its frames go from the decoder to the encoder as YUV, skipping the
   * YUV->RGB->YUV round trip that test:rgb-identity (the same edit, declared as needing pixels)
   * takes like every RGB editor. Both give the same frames and timestamps: bit-exact RGB with ffv1
   * (an RGB format, reached through RGB either way), and with mpeg4 equal within the encoder's
   * tolerance, the YUV path nearer the source (one lossy conversion pair fewer). The temporal
   * scores (computed on RGB copies) do not change identity's output.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mpeg4", "ffv1"})
  void identityPassThroughMatchesTheRgbPath(String codec) {
    File inDir = new File(dir, "in");
    inDir.mkdirs();
    File input =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(50)
            .gop(25)
            .audio(true)
            .write(new File(inDir, "clip.mp4"));
    String ext = codec.equals("ffv1") ? ".mkv" : ".mp4";
    String[] common = {
      "output.codec=" + codec, "output.bits-per-pixel=4", "video.segment-frames=10"
    };
    File yuvOut = new File(dir, "out-yuv"),
        scoredOut = new File(dir, "out-scored"),
        rgbOut = new File(dir, "out-rgb");
    JobSummary yuv =
        edit(
            input,
            yuvOut,
            null,
            concat(common, "edit.editor=identity", "report.temporal-metrics=off"));
    JobSummary scored =
        edit(
            input,
            scoredOut,
            null,
            concat(common, "edit.editor=identity", "report.temporal-metrics=on"));
    JobSummary rgb = edit(input, rgbOut, null, concat(common, "edit.editor=test:rgb-identity"));
    for (JobSummary j : List.of(yuv, scored, rgb)) assertEquals(0, j.exitCode(), describe(j));
    ReportRow scores = row(scored, "clip.mp4");
    assertEquals(
        scores.getSourceWarpError(),
        scores.getWarpError(),
        1e-12,
        "identity scores like its source");
    File a = new File(yuvOut, "clip" + ext), b = new File(rgbOut, "clip" + ext);
    Media.assertTimestampsEqual(input, a);
    Media.assertTimestampsEqual(b, a);
    assertEquals(
        Media.frameHashes(a),
        Media.frameHashes(new File(scoredOut, "clip" + ext)),
        "the temporal scores do not change identity's output");
    if (codec.equals("ffv1")) {
      Media.assertSamePixels(b, a);
      Media.assertSamePixels(input, a);
      return;
    }
    VideoInfo in = VideoProbe.probe(input), oa = VideoProbe.probe(a), ob = VideoProbe.probe(b);
    double yuvToSource = 0, rgbToSource = 0;
    try (SegmentReader src = new SegmentReader(input, in.firstPts(), 0, 50);
        SegmentReader ra = new SegmentReader(a, oa.firstPts(), 0, 50);
        SegmentReader rb = new SegmentReader(b, ob.firstPts(), 0, 50)) {
      for (int i = 0; i < 50; i++) {
        byte[] s = src.next().rgb(), fa = ra.next().rgb(), fb = rb.next().rgb();
        double paths = Media.psnr(fa, fb);
        assertTrue(paths > 35, "frame " + i + ": the two paths differ, PSNR " + paths + " dB");
        yuvToSource += Media.psnr(s, fa) / 50;
        rgbToSource += Media.psnr(s, fb) / 50;
      }
    }
    assertTrue(
        yuvToSource > rgbToSource + 0.5,
        "mean PSNR to the source: as decoded "
            + yuvToSource
            + " dB, through RGB "
            + rgbToSource
            + " dB");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static void assertAudioCopied(VideoInfo in, VideoInfo out) {
    assertEquals(in.hasAudio(), out.hasAudio(), "audio present");
    if (!in.hasAudio()) {
      assertFalse(out.hasAudio());
      return;
    }
    assertEquals(in.audioCodec(), out.audioCodec(), "audio codec (copied, not re-encoded)");
    assertEquals(in.audioSampleRate(), out.audioSampleRate(), "sample rate");
    assertEquals(in.audioChannels(), out.audioChannels(), "channels");
    assertTrue(
        in.audioDurationSeconds() > 0.5, "input audio duration " + in.audioDurationSeconds());
    assertEquals(
        in.audioDurationSeconds(),
        out.audioDurationSeconds(),
        1024.0 / in.audioSampleRate(),
        "audio duration");
  }
}
