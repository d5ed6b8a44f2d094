package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.job.driver.EditJob;
import dev.viaspark.job.driver.EditRequest;
import dev.viaspark.job.driver.JobConfig;
import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.video.SyntheticVideo;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults of a real cluster, on a Spark standalone cluster of two single-core workers on this
 * machine: an executor JVM killed in the middle of an edit task, and a straggling task that
 * speculation overtakes. Either way the job completes, its output is bit-identical (ffv1) to a run
 * without faults, the counters count every frame once, and nothing partial or duplicated is left in
 * the output or the work dir.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFaultsTest {
  private static final List<String> SETTINGS =
      List.of("job.progress-interval=0", "output.codec=ffv1", "video.segment-frames=10");
  private static final int FRAMES = 80;

  // not @TempDir: a per-class instance's @TempDir field is not set yet in @BeforeAll
  private File dir;
  private File input;
  private File clean;
  private StandaloneCluster cluster;

  @BeforeAll
  void videoCleanRunAndCluster() throws Exception {
    dir = Files.createTempDirectory("viaspark-cluster-faults").toFile();
    input = new File(dir, "in");
    input.mkdirs();
    new SyntheticVideo()
        .size(64, 48)
        .fps(25, 1)
        .frames(FRAMES)
        .gop(10)
        .write(new File(input, "clip.mp4"));
    File out = new File(dir, "clean");
    SparkSession local =
        SparkSession.builder()
            .master("local[2]")
            .appName("ClusterFaultsTest-clean")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      JobSummary s = edit(local, out, "test:flicker");
      assertEquals(1, s.count("ok"), s.describe());
    } finally {
      local.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    clean = new File(out, "clip.mkv");
    cluster = new StandaloneCluster(new File(dir, "cluster"), List.of("127.0.0.1", "127.0.0.2"));
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) cluster.close();
    TempFolder.deleteTree(dir);
  }

  @Test
  void anExecutorKilledMidEditIsReplacedAndItsTaskRetried() throws Exception {
    File markers = new File(dir, "kill-markers");
    File out = new File(dir, "killed");
    JobSummary s = onCluster(markers, Map.of(), session -> edit(session, out, "test:kill-once"));

    assertEquals(1, s.count("ok"), s.describe() + cluster.executorLogs());
    assertTrue(
        cluster.workerLogs().contains("exited with code 137"),
        "a worker saw its executor die of SIGKILL:\n" + cluster.workerLogs());
    assertTrue(new File(markers, FaultingEditor.RETRIED_MARKER).exists(), "the task ran again");
    assertFinishedOnce(out);
  }

  @Test
  void aStragglerIsOvertakenBySpeculationAndLeavesNoDuplicate() throws Exception {
    File markers = new File(dir, "slow-markers");
    File out = new File(dir, "speculated");
    long start = System.nanoTime();
    JobSummary s =
        onCluster(
            markers,
            Map.of(
                "spark.speculation", "true",
                "spark.speculation.interval", "200ms",
                "spark.speculation.multiplier", "1.5",
                "spark.speculation.quantile", "0.5",
                "spark.speculation.efficiency.enabled", "false"),
            session -> edit(session, out, "test:slow-once"));
    double seconds = (System.nanoTime() - start) / 1e9;

    assertEquals(1, s.count("ok"), s.describe() + cluster.executorLogs());
    assertTrue(new File(markers, FaultingEditor.RETRIED_MARKER).exists(), "a copy ran");
    assertTrue(
        seconds < FaultingEditor.STALL_SECONDS,
        "the job waited " + seconds + " s for the straggler instead of its speculative copy");
    assertFinishedOnce(out);
  }

  /** The output equals the clean run's, each frame is counted once, no file is partial. */
  private void assertFinishedOnce(File out) throws IOException {
    Media.assertSamePixels(clean, new File(out, "clip.mkv"));
    JsonNode counters = new ObjectMapper().readTree(new File(out, "job.json")).get("counters");
    assertEquals(FRAMES, counters.get("frames").asLong(), counters.toString());
    assertEquals(FRAMES / 10, counters.get("segments").asLong(), counters.toString());
    try (Stream<Path> files = Files.walk(out.toPath())) {
      List<String> left =
          files
              .filter(Files::isRegularFile)
              .map(p -> out.toPath().relativize(p).toString())
              .filter(p -> !p.startsWith("report.parquet"))
              .sorted()
              .toList();
      assertEquals(
          List.of(
              "_viaspark_work/" + workKey(out) + "/done.json",
              "clip.mkv",
              "job.json",
              "report.jsonl"),
          left);
    }
  }

  private static String workKey(File out) {
    String[] keys = new File(out, "_viaspark_work").list();
    assertEquals(1, keys == null ? 0 : keys.length, "one video key in the work dir");
    return keys[0];
  }

  private interface Job {
    JobSummary run(SparkSession session) throws IOException;
  }

  /** Runs {@code job} with a driver in this JVM on the cluster; executors see {@code markers}. */
  private JobSummary onCluster(File markers, Map<String, String> conf, Job job) throws IOException {
    markers.mkdirs();
    SparkSession.Builder b =
        SparkSession.builder()
            .master(cluster.masterUrl())
            .appName("ClusterFaultsTest")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.memory", "1g")
            .config("spark.executor.cores", "1")
            .config("spark.executor.extraClassPath", StandaloneCluster.classpath())
            .config("spark.executorEnv." + FaultingEditor.MARKERS, markers.getPath());
    conf.forEach(b::config);
    SparkSession session = b.getOrCreate();
    try {
      return job.run(session);
    } finally {
      session.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  private JobSummary edit(SparkSession session, File out, String editor) throws IOException {
    List<String> sets = new ArrayList<>(SETTINGS);
    sets.add("edit.editor=" + editor);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (PrintStream console = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      return new EditJob(session, console)
          .run(new EditRequest(input.getPath(), out.getPath(), null, new JobConfig(null, sets)));
    }
  }
}
