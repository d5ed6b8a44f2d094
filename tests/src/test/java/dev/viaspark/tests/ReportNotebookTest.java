package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.video.SyntheticVideo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * notebooks/explore_report.ipynb executed headless (Debian's /usr/bin/python3 with nbconvert) on a
 * real job's output: two edited videos (one MP4, one ffv1 Matroska) and a broken input, with the
 * quality metrics on. The executed notebook must show the per-video table, the failure, the
 * per-stage time chart, the quality chart and the before/after frame strips. Cells are found by
 * their tags (see notebooks/make_explore_report.py).
 */
class ReportNotebookTest extends LocalSparkTest {
  static final String PYTHON = "/usr/bin/python3";
  static final long TIMEOUT_SECONDS = 300;

  @TempDir File dir;

  @Test
  void notebookShowsTheReportChartsAndFrameStrips() throws Exception {
    assumeNotebookToolsInstalled();
    Path notebook = notebook();

    File in = new File(dir, "in");
    in.mkdirs();
    new SyntheticVideo()
        .size(96, 64)
        .fps(25, 1)
        .frames(30)
        .gop(10)
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
    File manifest = new File(in, "jobs.csv");
    Files.writeString(
        manifest.toPath(),
        String.join(
            "\n",
            "video,instruction,output.codec",
            "a.mp4,make it sepia,",
            "b.mp4,make it sepia,ffv1",
            "c.mp4,make it sepia,",
            ""));
    File out = new File(dir, "out");
    JobSummary s =
        edit(
            manifest.getPath(),
            out,
            null,
            List.of(
                "edit.editor=opencv:sepia",
                "report.temporal-metrics=on",
                "video.segment-frames=10"));
    assertEquals(2, s.exitCode(), describe(s));
    assertTrue(new File(out, "a.mp4").isFile(), describe(s));
    assertTrue(new File(out, "b.mkv").isFile(), describe(s));

    File executed = new File(dir, "executed.ipynb");
    File log = new File(dir, "nbconvert.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            PYTHON,
            "-m",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=" + TIMEOUT_SECONDS,
            "--output",
            executed.getAbsolutePath(),
            notebook.toString());
    pb.environment().put("VIASPARK_OUTPUT", out.getAbsolutePath());
    pb.environment().put("MPLBACKEND", "Agg");
    pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    pb.redirectErrorStream(true).redirectOutput(log);
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS + 60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("nbconvert did not finish in " + (TIMEOUT_SECONDS + 60) + " s:\n" + read(log));
    }
    assertEquals(0, p.exitValue(), "nbconvert --execute failed:\n" + read(log));

    JsonNode nb = new ObjectMapper().readTree(executed);
    for (JsonNode cell : nb.get("cells")) {
      for (JsonNode o : outputs(cell)) {
        assertFalse("error".equals(o.path("output_type").asText()), "error output: " + o);
      }
    }

    // the loader says which file it read (report.parquet needs pyarrow, else report.jsonl)
    String load = text(cell(nb, "load-report"));
    assertTrue(load.contains("report.parquet") || load.contains("report.jsonl"), load);
    assertTrue(load.contains("3 rows"), load);

    // the per-video table: an HTML table naming every input, the failed one with its status
    String table = html(cell(nb, "video-table"));
    assertTrue(table.contains("<table"), table);
    for (String name :
        List.of("a.mp4", "b.mp4", "c.mp4", "failed", "ok", "opencv:sepia", "make it sepia")) {
      assertTrue(table.contains(name), name + " in the per-video table:\n" + table);
    }

    // the failure summary names the broken file and its error
    String failures = text(cell(nb, "failures")) + html(cell(nb, "failures"));
    assertTrue(failures.contains("c.mp4"), failures);
    assertTrue(failures.contains("not a readable media file"), failures);

    // one chart of stage times, one of quality metrics (they were on)
    assertTrue(pngs(cell(nb, "stage-chart")) >= 1, "stage chart: " + cell(nb, "stage-chart"));
    assertTrue(pngs(cell(nb, "quality-chart")) >= 1, "quality chart: " + cell(nb, "quality-chart"));

    // before/after frame strips: one image per ok video, none for the failed one
    JsonNode strips = cell(nb, "frame-strips");
    assertEquals(2, pngs(strips), "a strip for a.mp4 and one for b.mkv: " + text(strips));
    String stripText = text(strips);
    assertTrue(stripText.contains("a.mp4") && stripText.contains("b.mkv"), stripText);
  }

  /**
   * Skips (does not fail) where Debian's Python with nbformat and nbconvert is not installed;
   * .ci/run installs it.
   */
  static void assumeNotebookToolsInstalled() throws InterruptedException {
    boolean ok;
    String why;
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import nbformat, nbconvert")
              .redirectErrorStream(true)
              .start();
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
      why = ok ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      ok = false;
      why = e.getMessage();
    }
    String cause = why;
    Assumptions.assumeTrue(
        ok,
        () ->
            "skipped: "
                + PYTHON
                + " cannot import nbformat and nbconvert (apt-get install "
                + "python3-nbformat python3-nbconvert jupyter-notebook python3-pandas python3-matplotlib ffmpeg, "
                + "as .ci/run does): "
                + cause);
  }

  /** The notebook, found from the tests module (Maven's basedir, else the working directory). */
  static Path notebook() {
    Path module = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
    Path nb = module.resolve("../notebooks/explore_report.ipynb").normalize();
    assertTrue(Files.isRegularFile(nb), "no notebook at " + nb);
    return nb;
  }

  /** The code cell tagged {@code tag}. */
  static JsonNode cell(JsonNode nb, String tag) {
    for (JsonNode c : nb.get("cells")) {
      for (JsonNode t : c.path("metadata").path("tags")) {
        if (tag.equals(t.asText())) return c;
      }
    }
    throw new AssertionError("no cell tagged " + tag);
  }

  static List<JsonNode> outputs(JsonNode cell) {
    List<JsonNode> all = new ArrayList<>();
    cell.path("outputs").forEach(all::add);
    return all;
  }

  /** Stream text and text/plain results of a cell. */
  static String text(JsonNode cell) {
    StringBuilder s = new StringBuilder();
    for (JsonNode o : outputs(cell)) {
      s.append(joined(o.path("text")));
      s.append(joined(o.path("data").path("text/plain")));
    }
    return s.toString();
  }

  static String html(JsonNode cell) {
    StringBuilder s = new StringBuilder();
    for (JsonNode o : outputs(cell)) s.append(joined(o.path("data").path("text/html")));
    return s.toString();
  }

  /** How many outputs of a cell carry a non-empty PNG. */
  static int pngs(JsonNode cell) {
    int n = 0;
    for (JsonNode o : outputs(cell)) {
      if (joined(o.path("data").path("image/png")).length() > 100) n++;
    }
    return n;
  }

  /** nbformat stores multi-line strings either as one string or as a list of lines. */
  static String joined(JsonNode v) {
    if (v.isMissingNode() || v.isNull()) return "";
    if (v.isTextual()) return v.asText();
    StringBuilder s = new StringBuilder();
    v.forEach(l -> s.append(l.asText()));
    return s.toString();
  }

  static String read(File f) throws IOException {
    return f.isFile() ? Files.readString(f.toPath(), StandardCharsets.UTF_8) : "(no output)";
  }
}
