package dev.viaspark.tests;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.OutputCodec;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoException;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch with unreadable inputs: each fails its own row with a clear cause, the good video is
 * still edited.
 */
class BrokenInputsTest extends LocalSparkTest {
  @TempDir static File dir;
  static File good;

  @BeforeAll
  static void goodVideo() {
    File src = new File(dir, "src");
    src.mkdirs();
    good =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(50)
            .gop(25)
            .audio(true)
            .write(new File(src, "good.mp4"));
  }

  static File copy(File f, File to) throws IOException {
    return Files.copy(f.toPath(), to.toPath()).toFile();
  }

  /** An AAC-only MP4 (no video stream), written like any recorder output. */
  static File audioOnly(File out) throws Exception {
    VideoProbe.probe(good); // FFmpeg loaded with viaspark's quiet log level
    FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, 0, 0, 2);
    r.setFormat("mp4");
    r.setAudioCodec(AV_CODEC_ID_AAC);
    r.setSampleRate(44100);
    r.setAudioBitrate(96_000);
    r.start();
    short[] pcm = new short[44100 * 2];
    for (int i = 0; i < 44100; i++)
      pcm[2 * i] = pcm[2 * i + 1] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 44100.0));
    r.recordSamples(44100, 2, ShortBuffer.wrap(pcm));
    r.stop();
    r.release();
    return out;
  }

  /**
   * An MP4 with its index (moov) first, as streaming-ready files are: cut short, the index promises
   * more frames.
   */
  static File faststart(File out) throws Exception {
    VideoProbe.probe(good);
    FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, 96, 64, 0);
    r.setFormat("mp4");
    r.setVideoCodecName("mpeg4");
    r.setFrameRate(25);
    r.setGopSize(10);
    r.setVideoBitrate(400_000);
    r.setOption("movflags", "+faststart");
    r.start();
    byte[] rgb = new byte[96 * 64 * 3];
    for (int i = 0; i < 50; i++) {
      for (int p = 0; p < rgb.length; p++) rgb[p] = (byte) (p * 31 + i * 7);
      r.recordImage(96, 64, Frame.DEPTH_UBYTE, 3, 96 * 3, AV_PIX_FMT_RGB24, ByteBuffer.wrap(rgb));
    }
    r.stop();
    r.release();
    return out;
  }

  @Test
  void eachBrokenInputFailsItsOwnRowWithACauseAndLeavesNoOutput() throws Exception {
    File in = new File(dir, "batch");
    in.mkdirs();
    copy(good, new File(in, "good.mp4"));
    new File(in, "empty.mp4").createNewFile();
    byte[] bytes = Files.readAllBytes(good.toPath());
    Files.write(
        new File(in, "truncated.mp4").toPath(), Arrays.copyOf(bytes, bytes.length * 6 / 10));
    File fast = faststart(new File(dir, "fast.mp4"));
    assertEquals(50, VideoProbe.probe(fast).frameCount());
    byte[] fastBytes = Files.readAllBytes(fast.toPath());
    Files.write(
        new File(in, "cut.mp4").toPath(), Arrays.copyOf(fastBytes, fastBytes.length * 6 / 10));
    Files.writeString(
        new File(in, "fake.mp4").toPath(), "this is not a video, just some text\n".repeat(20));
    File audio = audioOnly(new File(in, "audio.m4a"));
    VideoException noVideo =
        Assertions.assertThrows(VideoException.class, () -> VideoProbe.probe(audio));
    Media.assertContains(noVideo.getMessage(), "no video stream");

    File out = new File(dir, "out");
    JobSummary s =
        edit(in, out, null, "edit.editor=identity", "output.codec=ffv1", "video.segment-frames=10");
    System.out.println(s.describe());
    assertEquals(2, s.exitCode(), describe(s));
    assertEquals(6, s.rows().size());
    assertEquals(1, s.count("ok"));
    assertEquals(5, s.count("failed"));

    ReportRow ok = row(s, "good.mp4");
    assertEquals("ok", ok.getStatus());
    assertNull(ok.getError());
    File output = new File(URI.create(ok.getOutput()));
    assertEquals(new File(out, "good.mkv").getAbsoluteFile(), output);
    VideoInfo o = VideoProbe.probe(output);
    assertEquals(50, o.frameCount());
    Media.assertSamePixels(good, output);

    assertFailed(s, "empty.mp4", "empty");
    assertFailed(s, "truncated.mp4", "truncated", "corrupt", "not a readable media file");
    assertFailed(s, "cut.mp4", "truncated");
    assertFailed(s, "fake.mp4", "not a readable media file");
    assertFailed(s, "audio.m4a", "no video stream");

    // no partial outputs: only the good video, the reports and the work dir
    Set<String> listed = new TreeSet<>(Arrays.asList(out.list()));
    assertEquals(
        new TreeSet<>(
            List.of("good.mkv", "job.json", "report.jsonl", "report.parquet", "_viaspark_work")),
        listed);
    // and nothing of the failed ones in the work dir either (done markers belong to finished videos
    // only)
    try (var files = Files.walk(new File(out, "_viaspark_work").toPath())) {
      List<String> names =
          files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
      assertEquals(List.of("done.json"), names, "work dir after the job");
    }
  }

  /**
   * An AVI header whose frame count is one more than the file holds (as ffmpeg's AVI muxer writes
   * some files): the video is edited whole, and the row warns of the mismatch.
   */
  @Test
  void aHeaderThatMiscountsTheFramesIsAWarningNotAFailure() throws Exception {
    File in = new File(dir, "miscounted");
    in.mkdirs();
    File avi =
        new SyntheticVideo()
            .size(64, 48)
            .fps(25, 1)
            .frames(30)
            .gop(10)
            .codec(OutputCodec.MPEG4)
            .audio(false)
            .write(new File(in, "header.avi"));
    declareOneMoreFrame(avi);
    assertEquals(31, probeDeclared(avi));
    File out = new File(dir, "out-miscounted");
    JobSummary s = edit(in, out, null, "edit.editor=identity", "video.segment-frames=10");
    assertEquals(0, s.exitCode(), describe(s));
    ReportRow row = row(s, "header.avi");
    assertEquals("ok", row.getStatus());
    assertEquals(30, row.getFrames());
    Media.assertContains(row.getWarning(), "declares 31", "holds 30");
    assertEquals(30, VideoProbe.probe(new File(URI.create(row.getOutput()))).frameCount());
  }

  /**
   * Adds one to the video stream header's length (strh dwLength), which FFmpeg reads as nb_frames.
   */
  private static void declareOneMoreFrame(File avi) throws IOException {
    byte[] b = Files.readAllBytes(avi.toPath());
    int strh = indexOf(b, "strh".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer header = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int length = strh + 8 + 32;
    header.putInt(length, header.getInt(length) + 1);
    Files.write(avi.toPath(), b);
  }

  private static long probeDeclared(File video) {
    return VideoProbe.probe(video).declaredFrameCount();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("no " + new String(needle, StandardCharsets.US_ASCII) + " chunk");
  }

  @Test
  void aManifestRowWithAMissingFileFailsWithNoSuchFile() throws Exception {
    File in = new File(dir, "manifest");
    in.mkdirs();
    copy(good, new File(in, "good.mp4"));
    File manifest = new File(in, "videos.csv");
    Files.writeString(manifest.toPath(), "video,instruction\ngood.mp4,keep\nmissing.mp4,keep\n");
    File out = new File(dir, "out-manifest");
    JobSummary s =
        edit(manifest.getPath(), out, null, List.of("edit.editor=identity", "output.codec=ffv1"));
    assertEquals(2, s.exitCode(), describe(s));
    assertEquals("ok", row(s, "good.mp4").getStatus());
    assertTrue(new File(out, "good.mkv").isFile());
    assertFailed(s, "missing.mp4", "no such file");
    assertEquals(
        new TreeSet<>(
            List.of("good.mkv", "job.json", "report.jsonl", "report.parquet", "_viaspark_work")),
        new TreeSet<>(Arrays.asList(out.list())));
  }

  @Test
  void aMissingSingleInputIsAFailedRowNotACrash() {
    File out = new File(dir, "out-missing");
    JobSummary s = edit(new File(dir, "nowhere.mp4"), out, null, "edit.editor=identity");
    assertEquals(2, s.exitCode());
    assertFailed(s, "nowhere.mp4", "no such file");
    assertTrue(new File(out, "report.jsonl").isFile());
  }

  /** The row failed, and its error names the file and contains one of the causes. */
  static void assertFailed(JobSummary s, String name, String... anyCause) {
    ReportRow r = row(s, name);
    assertEquals("failed", r.getStatus(), name);
    assertNotNull(r.getError(), name);
    assertTrue(r.getError().contains(name), "error names the file: " + r.getError());
    String e = r.getError().toLowerCase(Locale.ROOT);
    assertTrue(
        Arrays.stream(anyCause).anyMatch(e::contains),
        name + ": expected one of " + Arrays.toString(anyCause) + " in: " + r.getError());
    assertEquals(0, r.getFrames(), name + ": frames");
  }
}
