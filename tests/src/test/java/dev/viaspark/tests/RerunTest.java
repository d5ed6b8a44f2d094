package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running a job again skips finished videos, redoes them on request or when settings change, and
 * resumes.
 */
class RerunTest extends LocalSparkTest {
  @TempDir File dir;
  File input;
  File out;

  @BeforeEach
  void video() {
    File in = new File(dir, "in");
    in.mkdirs();
    input =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(75)
            .gop(25)
            .audio(true)
            .write(new File(in, "clip.mp4"));
    out = new File(dir, "out");
  }

  private ReportRow run(String... sets) {
    JobSummary s = edit(input, out, null, sets);
    assertEquals(0, s.exitCode(), describe(s));
    assertEquals(1, s.rows().size());
    return s.rows().get(0);
  }

  private static FileTime mtime(File f) throws Exception {
    return Files.getLastModifiedTime(f.toPath());
  }

  @Test
  void sameJobAgainIsSkippedAndLeavesTheOutputAlone() throws Exception {
    String[] sets = {"edit.editor=identity", "video.segment-frames=10"};
    ReportRow first = run(sets);
    assertEquals("ok", first.getStatus());
    File output = new File(out, "clip.mp4");
    assertTrue(output.isFile());
    FileTime written = mtime(output);
    byte[] bytes = Files.readAllBytes(output.toPath());
    Thread.sleep(20);

    ReportRow second = run(sets);
    assertEquals("skipped", second.getStatus());
    assertNull(second.getError());
    assertEquals(75, second.getFrames());
    assertEquals(first.getOutput(), second.getOutput());
    assertEquals(written, mtime(output), "a skipped video's output is not touched");

    ReportRow forced =
        run("edit.editor=identity", "video.segment-frames=10", "output.overwrite=true");
    assertEquals("ok", forced.getStatus());
    assertEquals(75, forced.getFrames());
    assertEquals(0, forced.getSegmentsReused(), "overwrite redoes the segments too");
    assertNotEquals(written, mtime(output), "overwrite rewrites the output");
    // encoder-threads=1 makes the encode deterministic: the rewritten file is the same video
    assertEquals(Media.frameHashes(output).size(), 75);
    assertTrue(Arrays.equals(bytes, Files.readAllBytes(output.toPath())), "same bytes when redone");
  }

  @Test
  void aChangedSettingThatAffectsTheOutputIsNotSkipped() throws Exception {
    ReportRow first = run("edit.editor=identity", "output.codec=h264");
    assertEquals("ok", first.getStatus());
    File output = new File(out, "clip.mp4");
    assertEquals("h264", VideoProbe.probe(output).videoCodec());

    ReportRow changed = run("edit.editor=identity", "output.codec=mpeg4");
    assertEquals("ok", changed.getStatus(), "a different codec is new work, not 'already done'");
    assertNotEquals(first.getSettingsHash(), changed.getSettingsHash());
    assertEquals(first.getOutput(), changed.getOutput());
    assertEquals("mpeg4", VideoProbe.probe(output).videoCodec());

    // job.* settings do not change the output: still skipped
    ReportRow again = run("edit.editor=identity", "output.codec=mpeg4", "job.keep-segments=true");
    assertEquals("skipped", again.getStatus());
    assertEquals(changed.getSettingsHash(), again.getSettingsHash());
  }

  @Test
  void weightsReplacedAtTheSameModelPathAreNewWork() throws Exception {
    Path model = new File(dir, "model").toPath();
    try (Stream<Path> files = Files.walk(DiffusionEditTest.MODEL.toPath())) {
      for (Path f : files.toList()) {
        Path copy = model.resolve(DiffusionEditTest.MODEL.toPath().relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(copy);
        else Files.copy(f, copy);
      }
    }
    File clip =
        new SyntheticVideo()
            .size(32, 32)
            .fps(25, 1)
            .frames(4)
            .gop(4)
            .audio(false)
            .write(new File(dir, "small.mp4"));
    List<String> sets =
        List.of("edit.editor=ip2p", "model.path=" + model, "edit.steps=1", "output.codec=ffv1");
    assertEquals("ok", edit(clip.getPath(), out, "make it snowy", sets).rows().get(0).getStatus());
    assertEquals(
        "skipped", edit(clip.getPath(), out, "make it snowy", sets).rows().get(0).getStatus());

    // a new version written over the old one: same path, same settings
    Path weights = model.resolve("unet/diffusion_pytorch_model.safetensors");
    Files.setLastModifiedTime(
        weights, FileTime.fromMillis(Files.getLastModifiedTime(weights).toMillis() + 60_000));
    ReportRow again = edit(clip.getPath(), out, "make it snowy", sets).rows().get(0);
    assertEquals("ok", again.getStatus(), "edited again with the new weights, not skipped");
    assertEquals(0, again.getSegmentsReused(), "no segment of the old weights is reused");
  }

  @Test
  void anInterruptedRunReusesItsFinishedSegments() throws Exception {
    String[] sets = {
      "edit.editor=opencv:sepia",
      "output.codec=ffv1",
      "video.segment-frames=10",
      "job.keep-segments=true"
    };
    ReportRow first = run(sets);
    assertEquals("ok", first.getStatus());
    assertEquals(3, first.getSegments());
    assertEquals(0, first.getSegmentsReused());
    File output = new File(out, "clip.mkv");
    List<String> frames = Media.frameHashes(output);

    // as if the job died after editing every segment but before assembling: no output, no done
    // marker
    Path work = new File(out, "_viaspark_work").toPath();
    List<Path> markers;
    try (Stream<Path> s = Files.walk(work)) {
      markers = s.filter(p -> p.getFileName().toString().equals("done.json")).toList();
    }
    assertEquals(1, markers.size(), "one done marker under " + work);
    Path videoDir = markers.get(0).getParent();
    try (Stream<Path> s = Files.list(videoDir)) {
      assertEquals(
          3,
          s.filter(p -> p.getFileName().toString().matches("seg-\\d{5}\\.mkv")).count(),
          "kept segments in " + videoDir);
    }
    Files.delete(markers.get(0));
    Files.delete(output.toPath());

    ReportRow resumed = run(sets);
    assertEquals("ok", resumed.getStatus());
    assertEquals(3, resumed.getSegments());
    assertEquals(3, resumed.getSegmentsReused(), "finished segments are reused, not edited again");
    assertEquals(0.0, resumed.getSecondsEdit(), "nothing was edited");
    assertTrue(output.isFile());
    assertEquals(frames, Media.frameHashes(output));
    assertTrue(Files.exists(markers.get(0)), "the done marker is written again");
    assertFalse(lastLog.isEmpty());
  }
}
