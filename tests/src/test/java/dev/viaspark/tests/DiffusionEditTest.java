package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ip2p} diffusion editor in a Spark job, on the tiny reference checkpoint in the core's
 * test data.
 */
class DiffusionEditTest extends LocalSparkTest {
  static final File MODEL =
      new File("../src/test/resources/testvectors/checkpoint").getAbsoluteFile();
  @TempDir File dir;

  @Test
  void editsAVideoWithTheInstructionAndKeepsFramesAndAudio() {
    File in = new File(dir, "in");
    in.mkdirs();
    File input =
        new SyntheticVideo()
            .size(64, 48)
            .fps(25, 1)
            .frames(12)
            .gop(6)
            .audio(true)
            .write(new File(in, "clip.mp4"));
    File out = new File(dir, "out");
    JobSummary s =
        edit(
            input.getPath(),
            out,
            "make it snowy",
            List.of(
                "edit.editor=ip2p",
                "model.path=" + MODEL,
                "edit.steps=2",
                "video.segment-frames=6",
                "output.codec=ffv1"));
    assertEquals(0, s.exitCode(), describe(s));
    ReportRow row = s.rows().get(0);
    assertEquals("ok", row.getStatus(), describe(s));
    assertNull(row.getError());
    File output = new File(URI.create(row.getOutput()));
    assertEquals(12, VideoProbe.probe(output).frameCount());
    assertTrue(VideoProbe.probe(output).hasAudio(), "audio is carried over");
    assertTrue(
        Media.meanAbsDiff(Media.firstFrame(input), Media.firstFrame(output)) > 1,
        "the frames are edited");
    assertEquals(
        12 - 2, row.getScoredPairs(), "temporal metrics are on by default for diffusion edits");
    assertTrue(row.getWarpError() > 0 && row.getSourceWarpError() > 0, describe(s));
  }

  @Test
  void aMissingInstructionFailsTheRowNotTheJob() {
    File input =
        new SyntheticVideo()
            .size(64, 48)
            .fps(25, 1)
            .frames(6)
            .gop(6)
            .audio(false)
            .write(new File(dir, "clip.mp4"));
    JobSummary s =
        edit(
            input.getPath(),
            new File(dir, "out"),
            null,
            List.of("edit.editor=ip2p", "model.path=" + MODEL, "edit.steps=1"));
    assertEquals(2, s.exitCode(), describe(s));
    ReportRow row = s.rows().get(0);
    assertEquals("failed", row.getStatus());
    Media.assertContains(row.getError(), "instruction");
  }
}
