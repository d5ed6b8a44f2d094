package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests (CSV, JSON Lines): videos relative to the manifest, per-row instruction and output
 * name, and per-row setting overrides that apply to their own row only; a bad override fails its
 * row, not the job.
 */
class ManifestTest extends LocalSparkTest {
  @TempDir static File dir;
  static File videos;

  @BeforeAll
  static void inputs() {
    videos = new File(dir, "videos");
    new File(videos, "sub").mkdirs();
    SyntheticVideo v = new SyntheticVideo().size(64, 48).fps(25, 1).frames(30).gop(10).audio(true);
    v.write(new File(videos, "a.mp4"));
    v.write(new File(videos, "b.mp4"));
    v.write(new File(videos, "sub/c.mp4"));
    v.write(new File(videos, "d.mp4"));
  }

  @Test
  void csvManifest() throws Exception {
    File manifest = new File(videos, "jobs.csv");
    Files.writeString(
        manifest.toPath(),
        String.join(
            "\n",
            "video,instruction,output,output.codec,video.segment-frames",
            "a.mp4,warm it up,custom/a-edited.mp4,,",
            "b.mp4,keep every bit,,ffv1,10",
            "sub/c.mp4,whatever,c-out.mp4,mpeg4,abc",
            "d.mp4,whatever,d-out.mp4,,0",
            ""));
    check(manifest, new File(dir, "out-csv"));
  }

  @Test
  void jsonLinesManifest() throws Exception {
    File manifest = new File(videos, "jobs.jsonl");
    Files.writeString(
        manifest.toPath(),
        String.join(
            "\n",
            "{\"video\": \"a.mp4\", \"instruction\": \"warm it up\", \"output\": \"custom/a-edited.mp4\"}",
            "{\"video\": \"b.mp4\", \"instruction\": \"keep every bit\", \"output.codec\": \"ffv1\", \"video.segment-frames\": \"10\"}",
            "{\"video\": \"sub/c.mp4\", \"instruction\": \"whatever\", \"output\": \"c-out.mp4\", \"output.codec\": \"mpeg4\", \"video.segment-frames\": \"abc\"}",
            "{\"video\": \"d.mp4\", \"instruction\": \"whatever\", \"output\": \"d-out.mp4\", \"video.segment-frames\": \"0\"}",
            ""));
    check(manifest, new File(dir, "out-jsonl"));
  }

  private void check(File manifest, File out) {
    JobSummary s =
        edit(manifest.getPath(), out, "fallback instruction", List.of("edit.editor=identity"));
    assertEquals(2, s.exitCode(), describe(s));
    assertEquals(4, s.rows().size());

    // a: default codec (h264) in MP4, at the manifest's output name (relative to the output folder)
    ReportRow a = row(s, "a.mp4");
    assertEquals("ok", a.getStatus(), describe(s));
    assertEquals("warm it up", a.getInstruction());
    assertEquals("h264", a.getCodec());
    File aOut = new File(out, "custom/a-edited.mp4");
    assertEquals(aOut.getAbsoluteFile(), new File(URI.create(a.getOutput())));
    VideoInfo ai = VideoProbe.probe(aOut);
    assertEquals("h264", ai.videoCodec());
    assertEquals(30, ai.frameCount());
    assertTrue(ai.hasAudio());
    assertEquals(1, a.getSegments(), "default video.segment-frames (100) covers all 30 frames");

    // b: the row's output.codec=ffv1 override: lossless Matroska under the default name
    ReportRow b = row(s, "b.mp4");
    assertEquals("ok", b.getStatus());
    assertEquals("keep every bit", b.getInstruction());
    assertEquals("ffv1", b.getCodec());
    assertEquals(
        3, b.getSegments(), "the row's video.segment-frames=10 with keyframes every 10 frames");
    File bOut = new File(out, "b.mkv");
    assertEquals(bOut.getAbsoluteFile(), new File(URI.create(b.getOutput())));
    assertEquals("ffv1", VideoProbe.probe(bOut).videoCodec());
    Media.assertSamePixels(new File(videos, "b.mp4"), bOut);
    assertFalse(
        a.getSettingsHash().equals(b.getSettingsHash()),
        "overrides change the row's settings hash");

    // c, d: invalid overrides fail their own rows, naming the key
    ReportRow c = row(s, "c.mp4");
    assertEquals("failed", c.getStatus());
    Media.assertContains(c.getError(), "manifest row 3", "video.segment-frames");
    assertTrue(c.getInput().endsWith("/videos/sub/c.mp4"), c.getInput());
    ReportRow d = row(s, "d.mp4");
    assertEquals("failed", d.getStatus());
    Media.assertContains(
        d.getError(), "manifest row 4", "video.segment-frames", "0", "[1, 1000000]");
    assertFalse(new File(out, "c-out.mp4").exists());
    assertFalse(new File(out, "d-out.mp4").exists());
    assertNull(a.getError());
  }
}
