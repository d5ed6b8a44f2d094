package dev.viaspark.tests;

import dev.viaspark.job.driver.EditJob;
import dev.viaspark.job.driver.EditRequest;
import dev.viaspark.job.driver.JobConfig;
import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base class of the end-to-end tests that share one local Spark session per test class ({@code
 * local[2]}, no UI). Jobs are driven through {@link EditJob} directly, so the session outlives each
 * job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LocalSparkTest {
  protected SparkSession spark;

  /**
   * Settings every job of the tests uses on top of its own: quiet console, small segments unless
   * overridden.
   */
  protected static final List<String> QUIET = List.of("job.progress-interval=0");

  /**
   * Extra Spark properties of the test class's session (called once, before the session starts).
   */
  protected Map<String, String> sparkProperties() {
    return Map.of();
  }

  @BeforeAll
  void startSpark() {
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName(getClass().getSimpleName())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2");
    sparkProperties().forEach(builder::config);
    spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  @AfterAll
  void stopSpark() {
    if (spark != null) spark.stop();
    spark = null;
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  /** Runs one edit job on the shared session; {@code sets} are --set key=value settings. */
  protected JobSummary edit(File input, File output, String instruction, String... sets) {
    return edit(input.getPath(), output, instruction, List.of(sets));
  }

  protected JobSummary edit(String input, File output, String instruction, List<String> sets) {
    return edit(input, output.getPath(), instruction, sets);
  }

  protected JobSummary edit(String input, String output, String instruction, List<String> sets) {
    List<String> all = new ArrayList<>(QUIET);
    all.addAll(sets);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      return new EditJob(spark, out)
          .run(new EditRequest(input, output, instruction, new JobConfig(null, all)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lastLog = log.toString(StandardCharsets.UTF_8);
    }
  }

  /** The console output of the last {@link #edit} call. */
  protected String lastLog = "";

  /** The report row of the input whose file name is {@code name}. */
  protected static ReportRow row(JobSummary summary, String name) {
    return summary.rows().stream()
        .filter(
            r ->
                r.getInput() != null
                    && (r.getInput().endsWith("/" + name) || r.getInput().equals(name)))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no report row for " + name + " in " + describe(summary)));
  }

  protected static String describe(JobSummary summary) {
    StringBuilder s = new StringBuilder();
    for (ReportRow r : summary.rows()) {
      s.append("\n  ")
          .append(r.getStatus())
          .append(' ')
          .append(r.getInput())
          .append(" -> ")
          .append(r.getOutput())
          .append(r.getError() == null ? "" : " ERROR " + r.getError());
    }
    return s.toString();
  }
}
