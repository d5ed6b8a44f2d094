package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.SyntheticVideo;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's temporal-consistency columns: right where the answer is known, kept across reruns,
 * off on request.
 */
class QualityReportTest extends LocalSparkTest {
  @TempDir File dir;
  File input;

  @BeforeEach
  void video() {
    input =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(30)
            .gop(10)
            .audio(false)
            .write(new File(dir, "clip.mp4"));
  }

  private ReportRow run(File out, String... sets) {
    JobSummary s = edit(input, out, null, sets);
    assertEquals(0, s.exitCode(), describe(s));
    return s.rows().get(0);
  }

  @Test
  void anUnchangedVideoScoresExactlyLikeItsSource() {
    ReportRow r =
        run(
            new File(dir, "out"),
            "edit.editor=identity",
            "report.temporal-metrics=on",
            "video.segment-frames=10",
            "output.codec=ffv1");
    assertEquals(3, r.getSegments());
    assertEquals(30 - 3, r.getScoredPairs(), "pairs inside the three segments");
    assertTrue(r.getSourceFrameDiff() > 1, "the sample moves: " + r.getSourceFrameDiff());
    assertEquals(r.getSourceWarpError(), r.getWarpError(), 1e-12);
    assertEquals(r.getSourceFrameDiff(), r.getFrameDiff(), 1e-12);
    assertTrue(
        r.getSourceWarpError() < r.getSourceFrameDiff(),
        "motion compensation explains most of the motion");
    assertTrue(r.getSecondsMetrics() > 0);
  }

  @Test
  void flickerShowsUpAsWarpErrorAboveTheSourceFloor() {
    ReportRow r =
        run(
            new File(dir, "out"),
            "edit.editor=test:flicker",
            "report.temporal-metrics=on",
            "video.segment-frames=10",
            "output.codec=ffv1");
    // every pair has one frame brightened by 40 (less where it clips at 255)
    assertTrue(
        r.getWarpError() > r.getSourceWarpError() + 20,
        r.getWarpError() + " vs " + r.getSourceWarpError());
    assertTrue(
        r.getFrameDiff() > r.getSourceFrameDiff() + 20,
        r.getFrameDiff() + " vs " + r.getSourceFrameDiff());
  }

  @Test
  void scoresSurviveAResumedAndASkippedRun() throws Exception {
    File out = new File(dir, "out");
    String[] sets = {
      "edit.editor=test:flicker",
      "report.temporal-metrics=on",
      "video.segment-frames=10",
      "output.codec=ffv1"
    };
    ReportRow first = run(out, sets);
    ReportRow skipped = run(out, sets);
    assertEquals("skipped", skipped.getStatus());
    assertEquals(first.getWarpError(), skipped.getWarpError());
    assertEquals(first.getScoredPairs(), skipped.getScoredPairs());

    // an interrupted run: the output and marker are gone, the segments and their scores kept
    File out2 = new File(dir, "out2");
    String[] keep = {
      "edit.editor=test:flicker",
      "report.temporal-metrics=on",
      "video.segment-frames=10",
      "output.codec=ffv1",
      "job.keep-segments=true"
    };
    ReportRow whole = run(out2, keep);
    Files.delete(new File(out2, "clip.mkv").toPath());
    try (var s = Files.walk(new File(out2, "_viaspark_work").toPath())) {
      for (var p : s.filter(p -> p.getFileName().toString().equals("done.json")).toList())
        Files.delete(p);
    }
    ReportRow resumed = run(out2, keep);
    assertEquals("ok", resumed.getStatus());
    assertEquals(3, resumed.getSegmentsReused());
    assertEquals(whole.getWarpError(), resumed.getWarpError());
    assertEquals(whole.getFrameDiff(), resumed.getFrameDiff());
  }

  @Test
  void offLeavesTheColumnsEmptyInBothReports() {
    File out = new File(dir, "out");
    ReportRow r = run(out, "edit.editor=identity", "report.temporal-metrics=off");
    assertNull(r.getWarpError());
    assertNull(r.getScoredPairs());
    assertEquals(0.0, r.getSecondsMetrics());
    Dataset<Row> parquet = spark.read().parquet(new File(out, "report.parquet").getPath());
    assertTrue(
        List.of(parquet.columns())
            .containsAll(
                List.of(
                    "warpError",
                    "sourceWarpError",
                    "frameDiff",
                    "sourceFrameDiff",
                    "scoredPairs",
                    "secondsMetrics")));
    assertTrue(parquet.first().isNullAt(parquet.first().fieldIndex("warpError")));
  }

  @Test
  void autoScoresDiffusionEditsOnly() {
    ReportRow r = run(new File(dir, "out"), "edit.editor=identity");
    assertNull(r.getWarpError(), "auto is off for classical editors");
  }
}
