package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.ViasparkMain;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoProbe;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line: exit codes, messages that name the problem, help texts, probe, and no Spark for
 * bad input.
 */
class CliTest {
  @TempDir static File dir;
  static File video;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void input() {
    File in = new File(dir, "in");
    in.mkdirs();
    video =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(40)
            .gop(20)
            .rotation(90)
            .audio(true)
            .write(new File(in, "clip.mp4"));
  }

  @BeforeEach
  void noSpark() {
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ViasparkMain.run(args, o, e);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** edit with a valid input and output plus {@code extra}. */
  static Result edit(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "edit", "--input", video.getPath(), "--output", new File(dir, "out").getPath()));
    args.addAll(Arrays.asList(extra));
    return run(args.toArray(String[]::new));
  }

  /**
   * A usage/config error: exit 1, the message names each part, nothing on stdout and no Spark
   * started.
   */
  static void assertConfigError(Result r, String... parts) {
    assertEquals(1, r.code(), "exit code; err: " + r.err());
    for (String p : parts) assertTrue(r.err().contains(p), "expected '" + p + "' in: " + r.err());
    assertTrue(SparkSession.getActiveSession().isEmpty(), "no Spark session was started");
    assertTrue(SparkSession.getDefaultSession().isEmpty(), "no Spark session was started");
    assertFalse(new File(dir, "out").exists(), "nothing written");
  }

  @Test
  void unknownFlag() {
    assertConfigError(
        edit("--frobnicate", "3"), "unknown flag --frobnicate", "viaspark edit --help");
  }

  @Test
  void misspelledKeySuggestsTheRightOne() {
    assertConfigError(
        edit("--set", "edit.stpes=3"), "unknown key 'edit.stpes'", "did you mean edit.steps?");
  }

  @Test
  void outOfRangeValueNamesKeyAndRange() {
    assertConfigError(
        edit("--set", "video.segment-frames=0"), "video.segment-frames = 0", "[1, 1000000]");
  }

  @Test
  void unknownCodec() {
    assertConfigError(
        edit("--set", "output.codec=foo"), "output.codec", "unknown codec 'foo'", "ffv1");
  }

  @Test
  void unknownEditor() {
    assertConfigError(
        edit("--editor", "magic"), "edit.editor", "unknown editor 'magic'", "identity");
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    // (an unknown key is reported alone: values are checked once every key is known)
    assertConfigError(
        edit(
            "--set",
            "video.segment-frames=0",
            "--set",
            "output.codec=foo",
            "--set",
            "edit.steps=0"),
        "video.segment-frames = 0",
        "unknown codec 'foo'",
        "edit.steps = 0");
  }

  @Test
  void gpuStagesOnWhereSparkCannotScheduleThemFailsBeforeSparkStarts() {
    assertConfigError(
        edit("--set", "resources.gpu-stages=on"),
        "resources.gpu-stages = on",
        "spark.master = local[*]",
        "use auto");
    assertConfigError(
        edit("--set", "resources.gpu-stages=on", "--set", "spark.master=yarn"),
        "spark.dynamicAllocation.enabled is not true");
    assertConfigError(
        edit("--set", "resources.gpu-stages=sometimes", "--set", "resources.task-gpus=0.3"),
        "resources.gpu-stages = sometimes: must be off, on or auto",
        "resources.task-gpus = 0.3");
  }

  @Test
  void missingInputOrOutput() {
    assertConfigError(
        run("edit", "--output", new File(dir, "out").getPath()), "--input is required");
    assertConfigError(run("edit", "--input", video.getPath()), "--output is required");
    assertConfigError(run("edit", "--input"), "--input needs a value");
  }

  @Test
  void unknownCommandAndNoArguments() {
    assertConfigError(run("transmogrify"), "unknown command 'transmogrify'", "usage: viaspark");
    assertConfigError(run(), "usage: viaspark <command>");
  }

  @Test
  void helpTexts() {
    Result edit = run("edit", "--help");
    assertEquals(0, edit.code());
    assertTrue(edit.out().contains("usage: viaspark edit --input URI --output URI"), edit.out());
    assertTrue(edit.out().contains("--set key=value"), edit.out());
    assertTrue(edit.out().contains("identity"), "editors are listed: " + edit.out());
    assertTrue(edit.out().contains("opencv:sepia"), "editors are listed: " + edit.out());
    Result demo = run("demo", "--help");
    assertEquals(0, demo.code());
    assertTrue(demo.out().contains("usage: viaspark demo"), demo.out());
    Result train = run("train-toy", "--help");
    assertEquals(0, train.code());
    assertTrue(train.out().contains("usage: viaspark train-toy --output DIR"), train.out());
    Result taken = run("train-toy", "--output", dir.getPath());
    assertEquals(1, taken.code());
    assertTrue(taken.err().contains("already exists; choose a new folder"), taken.err());
    Result probe = run("probe", "--help");
    assertEquals(0, probe.code());
    assertTrue(probe.out().contains("usage: viaspark probe URI"), probe.out());
    Result help = run("help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("commands:"), help.out());
    assertTrue(SparkSession.getActiveSession().isEmpty());
  }

  @Test
  void probePrintsWhatTheProbeStageSees() {
    Result r = run("probe", video.getPath());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("frames:      40\n"), r.out());
    assertTrue(r.out().contains("keyframes:   2 at frames [0, 20]\n"), r.out());
    assertTrue(r.out().contains("fps:         25/1 (25.000)\n"), r.out());
    assertTrue(r.out().contains("rotation:    90\n"), r.out());
    assertTrue(r.out().contains("video:       h264 96x64, 8-bit\n"), r.out());
    assertTrue(r.out().contains("audio:       aac 44100 Hz, 2 ch"), r.out());

    Result missing = run("probe", new File(dir, "nope.mp4").getPath());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.mp4: no such file"), missing.err());
    assertEquals(1, run("probe").code());
    assertTrue(SparkSession.getActiveSession().isEmpty());
  }

  @Test
  void editRunsOnItsOwnLocalSparkAndReportsFailuresInTheExitCode() throws Exception {
    File batch = new File(dir, "batch");
    batch.mkdirs();
    Files.copy(video.toPath(), new File(batch, "clip.mp4").toPath());
    Files.write(new File(batch, "empty.mp4").toPath(), new byte[0]);
    File out = new File(dir, "cli-out");
    String[] common = {
      "--output",
      out.getPath(),
      "--editor",
      "identity",
      "--set",
      "output.codec=ffv1",
      "--set",
      "video.segment-frames=10",
      "--set",
      "job.progress-interval=0",
      "--set",
      "spark.master=local[2]",
      "--set",
      "spark.ui.enabled=false"
    };

    List<String> one =
        new ArrayList<>(List.of("edit", "--input", new File(batch, "clip.mp4").getPath()));
    one.addAll(List.of(common));
    Result ok = run(one.toArray(String[]::new));
    assertEquals(0, ok.code(), ok.err() + ok.out());
    assertTrue(ok.out().contains("1 videos: 1 ok, 0 skipped (already done), 0 failed"), ok.out());
    File output = new File(out, "clip.mkv");
    assertEquals(40, VideoProbe.probe(output).frameCount());
    assertEquals(90, VideoProbe.probe(output).rotation());
    assertTrue(SparkSession.getDefaultSession().isEmpty(), "the CLI stops its Spark session");
    if (SparkSession.getActiveSession().isDefined()) {
      assertTrue(
          SparkSession.getActiveSession().get().sparkContext().isStopped(),
          "the CLI stops its Spark session");
    }
    SparkSession.clearActiveSession();

    List<String> both = new ArrayList<>(List.of("edit", "--input", batch.getPath()));
    both.addAll(List.of(common));
    Result some = run(both.toArray(String[]::new));
    assertEquals(2, some.code(), some.err() + some.out());
    assertTrue(
        some.out().contains("2 videos: 0 ok, 1 skipped (already done), 1 failed"), some.out());
    assertTrue(some.out().contains("empty.mp4: the file is empty"), some.out());
    assertTrue(SparkSession.getDefaultSession().isEmpty(), "the CLI stops its Spark session");
    SparkSession.clearActiveSession();
  }
}
