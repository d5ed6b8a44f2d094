package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as uncurated archives hold them, made at test time by the ffmpeg program (Debian's, which
 * CI installs; the tests are skipped without it), each edited with the default settings and checked
 * with ffprobe.
 */
class RealArchiveFilesTest extends LocalSparkTest {
  @TempDir static File dir;
  static File in;
  static JobSummary summary;

  @BeforeAll
  static void makeTheFiles() throws Exception {
    assumeTrue(
        hasProgram("ffmpeg") && hasProgram("ffprobe"), "ffmpeg and ffprobe are not installed");
    in = new File(dir, "in");
    in.mkdirs();
    String src = "testsrc=size=96x64:rate=25";
    generate(
        List.of(src, "sine=f=440", "sine=f=880"),
        "-t",
        "2",
        "-map",
        "0",
        "-map",
        "1",
        "-map",
        "2",
        "-c:v",
        "mpeg4",
        "-c:a",
        "aac",
        "-metadata:s:a:0",
        "language=eng",
        "-metadata:s:a:1",
        "language=fra",
        "two-audio.mp4");
    // one second of video, then the same with three seconds of audio
    generate(List.of(src), "-t", "1", "-c:v", "mpeg4", "video-1s.mp4");
    File video1s = new File(in, "video-1s.mp4");
    ffmpeg(
        "-i",
        video1s.getPath(),
        "-f",
        "lavfi",
        "-i",
        "sine=f=440",
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-c:v",
        "copy",
        "-c:a",
        "aac",
        "-t",
        "3",
        "long-audio.mkv");
    video1s.delete();
    generate(
        List.of(src, "sine=f=440"),
        "-t",
        "2",
        "-pix_fmt",
        "yuvj420p",
        "-c:v",
        "mjpeg",
        "-c:a",
        "pcm_s16le",
        "full-range-pcm.avi");
    generate(List.of(src), "-frames:v", "1", "-c:v", "mpeg4", "one-frame.mp4");
    // interlaced MPEG-2 in a transport stream: seeking there lands on byte estimates
    generate(
        List.of(src),
        "-t",
        "4",
        "-c:v",
        "mpeg2video",
        "-flags",
        "+ilme+ildct",
        "-top",
        "1",
        "interlaced-mpeg2.ts");
    generate(List.of(src), "-t", "2", "-c:v", "mpeg4", "-output_ts_offset", "5", "start-at-5s.mp4");
    // an MPEG-2 program stream with B-frames: its reference frames' packets carry no timestamp
    generate(
        List.of(src, "sine=f=440"),
        "-t",
        "4",
        "-c:v",
        "mpeg2video",
        "-bf",
        "2",
        "-g",
        "12",
        "-c:a",
        "mp2",
        "program-stream.mpg");
    generate(List.of(src), "-t", "2", "-pix_fmt", "yuv420p10le", "-c:v", "ffv1", "ten-bit.mkv");
    // 96x64, then 128x96, in one transport stream (two H.264 streams cut together)
    generate(List.of(src), "-t", "1", "-c:v", "libx264", "-bf", "0", "size-a.ts");
    generate(
        List.of("testsrc=size=128x96:rate=25"),
        "-t",
        "1",
        "-c:v",
        "libx264",
        "-bf",
        "0",
        "-output_ts_offset",
        "1",
        "size-b.ts");
    File a = new File(in, "size-a.ts"), b = new File(in, "size-b.ts");
    Files.write(
        new File(in, "size-change.ts").toPath(),
        concat(Files.readAllBytes(a.toPath()), Files.readAllBytes(b.toPath())));
    a.delete();
    b.delete();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] ab = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, ab, a.length, b.length);
    return ab;
  }

  /** One edit of the whole batch, with the default settings, shared by the tests. */
  private JobSummary summary() {
    if (summary == null) {
      summary =
          edit(in, new File(dir, "out"), null, "edit.editor=identity", "video.segment-frames=20");
    }
    return summary;
  }

  @Test
  void everyDecodableFileIsEditedAndASizeChangeFailsItsOwnRow() {
    assertEquals(8, summary().count("ok"), describe(summary()));
    assertEquals(1, summary().count("failed"), describe(summary()));
    ReportRow row = row(summary(), "size-change.ts");
    assertEquals("failed", row.getStatus());
    Media.assertContains(
        row.getError(), "size-change.ts", "frame size changes mid-stream", "128x96", "96x64");
    assertFalse(new File(dir, "out/size-change.mp4").exists(), "no output for a video that failed");
  }

  @Test
  void anMpeg2ProgramStreamIsEditedFrameByFrame() throws Exception {
    ReportRow row = row(summary(), "program-stream.mpg");
    assertEquals(100, row.getFrames());
    assertTrue(row.isHasAudio(), "audio kept");
    assertSameFrames("program-stream.mpg", 100);
  }

  @Test
  void aTenBitSourceIsEditedWithAWarning() throws Exception {
    ReportRow row = row(summary(), "ten-bit.mkv");
    assertEquals(50, row.getFrames());
    Media.assertContains(row.getWarning(), "10 bits per component", "8");
    assertSameFrames("ten-bit.mkv", 50);
  }

  @Test
  void everyAudioTrackIsKeptWithItsLanguage() throws Exception {
    List<String> audio =
        ffprobe(output("two-audio.mp4"), "a", "stream=codec_name:stream_tags=language");
    assertEquals(List.of("aac,eng", "aac,fra"), audio);
  }

  @Test
  void audioLongerThanTheVideoIsKeptWhole() throws Exception {
    double source = duration(new File(in, "long-audio.mkv"));
    assertTrue(source > 2.9, "the source's audio runs " + source + " s");
    assertEquals(source, duration(output("long-audio.mkv")), 0.05);
    assertEquals(
        List.of("25"),
        ffprobe(output("long-audio.mkv"), "v", "stream=nb_read_frames", "-count_frames"));
  }

  @Test
  void h264FromAnAviGoesToMp4WithThePcmAudioCopied() throws Exception {
    ReportRow row = row(summary(), "full-range-pcm.avi");
    assertTrue(row.getOutput().endsWith("/full-range-pcm.mp4"), row.getOutput());
    assertEquals(
        List.of("pcm_s16le"), ffprobe(output("full-range-pcm.mp4"), "a", "stream=codec_name"));
  }

  @Test
  void aOneFrameVideoAndANonZeroStartKeepTheirFramesAndTimestamps() throws Exception {
    assertEquals(1, row(summary(), "one-frame.mp4").getFrames());
    assertEquals(
        ffprobe(new File(in, "start-at-5s.mp4"), "v", "stream=start_time"),
        ffprobe(output("start-at-5s.mp4"), "v", "stream=start_time"));
  }

  @Test
  void everySegmentOfAnMpeg2TransportStreamStartsAtItsOwnFrame() throws Exception {
    ReportRow row = row(summary(), "interlaced-mpeg2.ts");
    assertEquals(100, row.getFrames());
    assertTrue(row.getSegments() >= 5, "segments: " + row.getSegments());
    assertSameFrames("interlaced-mpeg2.ts", 100);
  }

  /**
   * Compares the output with its source frame by frame (ffmpeg's PSNR): a segment that started at
   * the wrong frame, or a wrong colour conversion, scores far lower than the codec's loss.
   */
  private void assertSameFrames(String source, int count) throws Exception {
    File psnr = new File(dir, source + ".psnr.txt");
    run(
        List.of(
            "ffmpeg",
            "-v",
            "error",
            "-i",
            new File(URI.create(row(summary(), source).getOutput())).getPath(),
            "-i",
            new File(in, source).getPath(),
            "-lavfi",
            "[0:v]format=yuv420p[a];[1:v]format=yuv420p[b];[a][b]psnr=stats_file=" + psnr.getPath(),
            "-f",
            "null",
            "-"));
    List<String> frames = Files.readAllLines(psnr.toPath());
    assertEquals(count, frames.size(), source);
    for (String f : frames) {
      double db = Double.parseDouble(f.replaceAll(".*psnr_avg:(\\S+).*", "$1"));
      assertTrue(db > 30, source + ": a frame differs from the source's: " + f);
    }
  }

  private File output(String name) {
    for (ReportRow r : summary().rows()) {
      if (r.getOutput() != null && r.getOutput().endsWith("/" + name))
        return new File(URI.create(r.getOutput()));
    }
    throw new AssertionError("no output " + name + " in " + describe(summary()));
  }

  private static double duration(File f) throws Exception {
    return Double.parseDouble(ffprobe(f, null, "format=duration").get(0));
  }

  private static List<String> ffprobe(File f, String streams, String entries, String... extra)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
    if (streams != null) cmd.addAll(List.of("-select_streams", streams));
    cmd.addAll(List.of(extra));
    cmd.addAll(List.of("-show_entries", entries, "-of", "csv=p=0", f.getPath()));
    return List.of(run(cmd).strip().split("\n"));
  }

  /** ffmpeg with FFmpeg's generated sources ({@code lavfi} graphs) as its inputs. */
  private static void generate(List<String> sources, String... args) throws Exception {
    List<String> all = new ArrayList<>();
    for (String source : sources) all.addAll(List.of("-f", "lavfi", "-i", source));
    all.addAll(List.of(args));
    ffmpeg(all.toArray(String[]::new));
  }

  private static void ffmpeg(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
    cmd.addAll(List.of(args));
    cmd.set(cmd.size() - 1, new File(in, args[args.length - 1]).getPath());
    run(cmd);
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
    assertEquals(0, p.exitValue(), cmd + ": " + out);
    return out;
  }

  private static boolean hasProgram(String name) {
    try {
      return new ProcessBuilder(name, "-version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
