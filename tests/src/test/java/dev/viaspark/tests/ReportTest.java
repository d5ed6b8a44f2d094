package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.SyntheticVideo;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.jsonl and report.parquet: one row per input with what happened and how long each stage
 * took.
 */
class ReportTest extends LocalSparkTest {
  @TempDir File dir;

  static final List<String> FIELDS =
      List.of(
          "input",
          "output",
          "status",
          "error",
          "warning",
          "frames",
          "segments",
          "durationSeconds",
          "fps",
          "width",
          "height",
          "editor",
          "settingsHash",
          "secondsProbe",
          "secondsDecode",
          "secondsEdit",
          "secondsEncode",
          "secondsAssemble",
          "secondsTta",
          "ttaRootCandidate");

  @Test
  void jsonLinesAndParquetDescribeEveryInput() throws Exception {
    File in = new File(dir, "in");
    in.mkdirs();
    new SyntheticVideo()
        .size(96, 64)
        .fps(25, 1)
        .frames(50)
        .gop(25)
        .audio(true)
        .write(new File(in, "a.mp4"));
    new SyntheticVideo()
        .size(80, 48)
        .fps(12, 1)
        .frames(24)
        .gop(6)
        .audio(false)
        .write(new File(in, "b.mp4"));
    Files.writeString(new File(in, "c.mp4").toPath(), "not a video");
    File out = new File(dir, "out");
    JobSummary s =
        edit(
            in,
            out,
            "make it sepia",
            "edit.editor=opencv:sepia",
            "output.codec=ffv1",
            "video.segment-frames=10");
    assertEquals(2, s.exitCode());

    List<String> lines = Files.readAllLines(new File(out, "report.jsonl").toPath());
    assertEquals(3, lines.size(), "one line per input");
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> byName = new HashMap<>();
    for (String l : lines) {
      JsonNode n = json.readTree(l);
      for (String f : FIELDS) assertTrue(n.has(f), "field " + f + " in " + l);
      String input = n.get("input").asText();
      byName.put(input.substring(input.lastIndexOf('/') + 1), n);
    }

    JsonNode a = byName.get("a.mp4");
    assertEquals("ok", a.get("status").asText());
    assertTrue(a.get("error").isNull());
    assertTrue(a.get("output").asText().endsWith("/out/a.mkv"), a.get("output").asText());
    assertEquals(50, a.get("frames").asInt());
    assertEquals(2, a.get("segments").asInt());
    assertEquals(2.0, a.get("durationSeconds").asDouble(), 0.05);
    assertEquals(25.0, a.get("fps").asDouble(), 1e-9);
    assertEquals(96, a.get("width").asInt());
    assertEquals(64, a.get("height").asInt());
    assertTrue(a.get("hasAudio").asBoolean());
    assertEquals("opencv:sepia", a.get("editor").asText());
    assertEquals("make it sepia", a.get("instruction").asText());
    assertEquals("ffv1", a.get("codec").asText());
    assertTrue(
        a.get("settingsHash").asText().matches("[0-9a-f]{12}"), a.get("settingsHash").asText());
    for (String f :
        List.of(
            "secondsProbe", "secondsDecode", "secondsEdit", "secondsEncode", "secondsAssemble")) {
      assertTrue(a.get(f).asDouble() > 0, f + " = " + a.get(f));
    }

    JsonNode b = byName.get("b.mp4");
    assertEquals("ok", b.get("status").asText());
    assertEquals(24, b.get("frames").asInt());
    assertEquals(
        2,
        b.get("segments").asInt(),
        "keyframes 0, 6, 12, 18, target 10: a cut at 12, then the end (24) is nearer 22 than 18");
    assertEquals(12.0, b.get("fps").asDouble(), 1e-9);
    assertEquals(80, b.get("width").asInt());
    assertEquals(48, b.get("height").asInt());
    assertFalse(b.get("hasAudio").asBoolean());
    assertEquals(
        a.get("settingsHash").asText(), b.get("settingsHash").asText(), "same settings, same hash");

    JsonNode c = byName.get("c.mp4");
    assertEquals("failed", c.get("status").asText());
    Media.assertContains(c.get("error").asText(), "c.mp4", "not a readable media file");
    assertEquals(0, c.get("frames").asInt());

    Dataset<Row> parquet = spark.read().parquet(new File(out, "report.parquet").getPath());
    List<String> columns = List.of(parquet.columns());
    for (String f : FIELDS)
      assertTrue(columns.contains(f), "parquet column " + f + " in " + columns);
    assertEquals(3, parquet.count());
    Map<String, String> statuses = new HashMap<>();
    List<Long> frames = new ArrayList<>();
    for (Row r : parquet.collectAsList()) {
      String input = r.getAs("input");
      statuses.put(input.substring(input.lastIndexOf('/') + 1), r.getAs("status"));
      frames.add(r.<Long>getAs("frames"));
    }
    assertEquals(Map.of("a.mp4", "ok", "b.mp4", "ok", "c.mp4", "failed"), statuses);
    assertEquals(74L, frames.stream().mapToLong(Long::longValue).sum());
    assertEquals(1, parquet.filter("status = 'failed' and error like '%c.mp4%'").count());

    // job.json: the run's accumulators and stage wall times
    JsonNode job = json.readTree(new File(out, "job.json"));
    assertEquals(spark.sparkContext().applicationId(), job.get("applicationId").asText());
    JsonNode counters = job.get("counters");
    assertEquals(74, counters.get("frames").asLong());
    assertEquals(4, counters.get("segments").asLong());
    assertEquals(2, counters.get("videos").asLong());
    assertEquals(1, counters.get("failedTasks").asLong(), "the probe of c.mp4");
    assertEquals(0.0, counters.get("gpuSeconds").asDouble(), "no GPU here");
    assertTrue(counters.get("taskSeconds").asDouble() > 0);
    for (String stage : List.of("probe", "edit", "assemble")) {
      assertTrue(job.get("stageSeconds").get(stage).asDouble() > 0, stage + " in " + job);
    }
    assertEquals(2, job.get("videos").get("ok").asInt());
    assertEquals(1, job.get("videos").get("failed").asInt());
    JsonNode byStage = job.get("taskSecondsByStage");
    assertEquals(
        s.rows().stream().mapToDouble(ReportRow::getSecondsEdit).sum(),
        byStage.get("edit").asDouble(),
        1e-9);
    assertEquals(0.0, byStage.get("tta").asDouble(), "no test-time adaptation");

    // a second run overwrites both reports (not appends): the rows now say skipped
    JobSummary again =
        edit(
            in,
            out,
            "make it sepia",
            "edit.editor=opencv:sepia",
            "output.codec=ffv1",
            "video.segment-frames=10");
    assertEquals(2, again.count("skipped"));
    assertEquals(3, Files.readAllLines(new File(out, "report.jsonl").toPath()).size());
    Dataset<Row> reread = spark.read().parquet(new File(out, "report.parquet").getPath());
    assertEquals(3, reread.count());
    assertEquals(2, reread.filter("status = 'skipped'").count());
    assertNotNull(reread.filter("status = 'failed'").first());
  }
}
