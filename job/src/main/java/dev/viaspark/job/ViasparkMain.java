package dev.viaspark.job;

import dev.viaspark.config.SettingsException;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.storage.Errors;
import dev.viaspark.storage.Storage;
import dev.viaspark.train.ToyEvaluation;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoException;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The viaspark command line, the same under {@code job/viaspark} and {@code spark-submit}.
 * Exit status: 0 all videos ok (or already done); 1 bad usage or configuration (before Spark starts); 2 input videos
 * failed (edit: some videos, each with its report row; probe: the video); 3 an unexpected error (the stack trace is
 * printed: an environment problem or a bug).
 */
public final class ViasparkMain {
  static final String USAGE = String.join("\n",
      "usage: viaspark <command> [options]",
      "",
      "commands:",
      "  demo    [--output DIR]                 edit a generated sample with the bundled toy model and Via",
      "  edit    --input URI --output URI ...   edit videos (a file, folder, glob or manifest)",
      "  probe   URI                            show what the probe stage sees in a video",
      "  generate --output FILE [...]           write a synthetic test video (moving shapes, AAC tone)",
      "  edit-image --model DIR --input IMG ... edit one image with InstructPix2Pix (no Spark)",
      "  bench   unet|pipeline|via|toy|random-unet [...]",
      "                                         benchmarks: UNet forward, one full edit, Via against",
      "                                         per-frame editing, the toy model's accuracy; random-unet writes",
      "                                         a checkpoint with a random UNet of any config",
      "  train-toy --output DIR | --resume DIR  train the small toy-domain InstructPix2Pix model (CPU;",
      "                                         resumable)",
      "  help                                   this text",
      "",
      "`viaspark <command> --help` describes each command.",
      "Exit status: 0 ok; 1 bad usage or configuration; 2 input videos failed (edit: some, each with its report",
      "row; probe: the video); 3 an unexpected error (stack trace printed).");

  static final String EDIT_HELP = String.join("\n",
      "usage: viaspark edit --input URI --output URI [--instruction TEXT] [--editor NAME]",
      "                     [--config FILE] [--set key=value]... [--overwrite]",
      "",
      "  --input URI        a video file, a folder of videos, a glob (quote it), or a manifest:",
      "                     .csv / .jsonl / .parquet with columns video, instruction, [output], [setting overrides]",
      "  --output URI       folder for the edited videos, report.jsonl and report.parquet",
      "  --instruction TEXT the edit, for inputs without a manifest instruction",
      "  --editor NAME      the frame editor (same as --set edit.editor=NAME)",
      "  --config FILE      a HOCON file of settings (see reference.conf and docs/configuration.md)",
      "  --set key=value    one setting; spark.* keys are Spark/Hadoop properties, e.g.",
      "                     --set spark.master=local[2]  --set spark.hadoop.fs.s3a.endpoint=http://...",
      "  --overwrite        redo videos and segments that an earlier run finished",
      "",
      "URIs are anything Hadoop reads: local paths, file:, hdfs:, s3a:.",
      "Exit status: 0 all ok or already done, 1 bad usage or configuration, 2 some videos failed (each has its",
      "report row), 3 an unexpected error (stack trace printed).",
      "",
      "editors:");

  static final String DEMO_HELP = String.join("\n",
      "usage: viaspark demo [--output DIR] [--editor NAME] [--set key=value]...",
      "",
      "Generates a sample video into DIR/input/shapes.mp4: moving shapes from the toy domain (64x64, 6 s,",
      "25 fps, a keyframe every 2 s, an AAC track) that the bundled toy model never saw in training. Edits it",
      "on local Spark into DIR/output/ with that model (unpacked into DIR/model/) and Via gather-and-swap,",
      "following an instruction of the toy grammar (\"make the circle red\"), then writes",
      "DIR/output/before-after.png (six frames, source above, edit below) next to the report.",
      "--editor NAME edits with another editor instead (e.g. opencv:cartoon); --set overrides any setting.",
      "DIR defaults to ./viaspark-demo.");

  static final String PROBE_HELP = String.join("\n",
      "usage: viaspark probe URI [--config FILE] [--set key=value]...",
      "",
      "Prints the streams, fps, timebase, frame count, keyframes and rotation of a video, as the probe",
      "stage sees them (a packet scan: nothing is decoded). --config/--set as for edit: spark.hadoop.* settings",
      "reach the file system, e.g. --set spark.hadoop.fs.s3a.endpoint=http://...",
      "Exit status: 0 probed, 1 bad usage or configuration, 2 the video is missing or cannot be read (as a",
      "failed video in edit), 3 an unexpected error.");

  static final String GENERATE_HELP = String.join("\n",
      "usage: viaspark generate --output FILE [--seconds S] [--size WxH] [--fps N] [--gop FRAMES]",
      "                         [--codec h264|mpeg4|ffv1] [--no-audio] [--rotation 0|90|180|270]",
      "",
      "Writes a deterministic synthetic video (gradient, moving square and disc, 440 Hz AAC tone) for tests",
      "and benchmarks. Defaults: 10 s, 320x240, 25 fps, a keyframe every 50 frames, h264, with audio, no",
      "rotation (--rotation writes display-rotation metadata, as phones do).");

  private ViasparkMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 1;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      return switch (args[0]) {
        case "edit" -> edit(rest, out, err);
        case "demo" -> demo(rest, out, err);
        case "probe" -> probe(rest, out);
        case "generate" -> generate(rest, out);
        case "edit-image" -> EditImageCommand.run(rest, out);
        case "bench" -> BenchCommand.run(rest, out);
        case "train-toy" -> TrainToyCommand.run(rest, out);
        case "help", "--help", "-h" -> {
          out.println(USAGE);
          yield 0;
        }
        default -> throw new UsageException("unknown command '" + args[0] + "'\n" + USAGE);
      };
    } catch (UsageException | SettingsException e) {
      err.println("viaspark: " + e.getMessage());
      return 1;
    } catch (VideoException e) {
      err.println("viaspark: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("viaspark: failed: " + e);
      e.printStackTrace(err);
      return 3;
    }
  }

  /** Parsed edit arguments; validates the configuration (before Spark starts). */
  record EditArgs(EditRequest request, Map<String, String> sparkProperties) {}

  static EditArgs parseEdit(List<String> args, PrintStream out) {
    CommandLine cl = CommandLine.parse("edit", args,
        Set.of("--input", "--output", "--instruction", "--editor", "--config", "--set"),
        Set.of("--overwrite", "--help"), 0);
    if (cl.has("--help")) return null;
    if (cl.get("--input") == null) throw new UsageException("edit: --input is required (see viaspark edit --help)");
    if (cl.get("--output") == null) throw new UsageException("edit: --output is required (see viaspark edit --help)");
    List<String> sets = new ArrayList<>();
    if (cl.get("--editor") != null) sets.add("edit.editor=" + cl.get("--editor"));
    if (cl.has("--overwrite")) sets.add("output.overwrite=true");
    sets.addAll(cl.all("--set"));
    File configFile = cl.get("--config") == null ? null : new File(cl.get("--config"));
    JobConfig config = new JobConfig(configFile, sets);
    ViasparkSettings settings = config.resolve();
    Map<String, String> sparkProperties = config.sparkProperties();
    GpuStageProfile.validate(settings.gpuStages, sparkConf(sparkProperties));
    return new EditArgs(new EditRequest(cl.get("--input"), cl.get("--output"), cl.get("--instruction"), config),
        sparkProperties);
  }

  static int edit(List<String> args, PrintStream out, PrintStream err) throws Exception {
    EditArgs parsed = parseEdit(args, out);
    if (parsed == null) {
      out.println(EDIT_HELP);
      FrameEditors.describe().forEach(l -> out.println("  " + l));
      return 0;
    }
    SparkSession spark = startSpark(parsed.sparkProperties());
    try {
      JobSummary summary = new EditJob(spark, out).run(parsed.request());
      out.println(summary.describe());
      return summary.exitCode();
    } finally {
      spark.stop();
    }
  }

  static int demo(List<String> args, PrintStream out, PrintStream err) throws Exception {
    CommandLine cl = CommandLine.parse("demo", args, Set.of("--output", "--editor", "--set"), Set.of("--help"), 0);
    if (cl.has("--help")) {
      out.println(DEMO_HELP);
      return 0;
    }
    File dir = new File(cl.get("--output") != null ? cl.get("--output") : "viaspark-demo").getAbsoluteFile();
    File input = new File(dir, "input");
    Files.createDirectories(input.toPath());
    ToyDemoVideo sample = ToyDemoVideo.pick();
    File video = new File(input, "shapes.mp4");
    if (!video.isFile()) {
      out.println("[viaspark] generating " + video + " (held-out toy scene " + sample.seed() + ": "
          + ToyDemoVideo.FRAMES + " frames, 64x64, " + ToyDemoVideo.FPS + " fps, keyframe every "
          + ToyDemoVideo.KEYFRAME_INTERVAL + " frames, AAC audio)");
      sample.writeIfMissing(video);
    }
    String instruction = sample.instruction().text();
    File output = new File(dir, "output");
    List<String> editArgs = new ArrayList<>(List.of("--input", video.getPath(), "--output", output.getPath(),
        "--instruction", instruction, "--set", "video.segment-frames=" + ToyDemoVideo.KEYFRAME_INTERVAL,
        "--set", "output.bits-per-pixel=2"));
    if (cl.get("--editor") != null) {
      editArgs.addAll(List.of("--editor", cl.get("--editor")));
    } else {
      java.nio.file.Path model = BundledToyModel.unpack(dir.toPath().resolve("model"));
      out.println("[viaspark] editing with the bundled toy model (" + model + ") and Via: \"" + instruction + "\"");
      for (String kv : List.of("edit.editor=ip2p", "model.path=" + model, "via.enabled=true",
          "edit.steps=" + ToyEvaluation.STEPS, "edit.guidance-scale=" + ToyEvaluation.GUIDANCE,
          "edit.image-guidance-scale=" + ToyEvaluation.IMAGE_GUIDANCE)) {
        editArgs.addAll(List.of("--set", kv));
      }
    }
    for (String s : cl.all("--set")) editArgs.addAll(List.of("--set", s));
    int status = edit(editArgs, out, err);
    File edited = new File(output, video.getName());
    if (edited.isFile()) {
      File strip = new File(output, "before-after.png");
      BeforeAfterStrip.write(VideoFrames.first(video, ToyDemoVideo.FRAMES),
          VideoFrames.first(edited, ToyDemoVideo.FRAMES), 6, 4, strip);
      out.println("[viaspark] before (top) and after (bottom): " + strip);
    }
    out.println("[viaspark] demo output: " + edited);
    return status;
  }

  static int probe(List<String> args, PrintStream out) throws Exception {
    CommandLine cl = CommandLine.parse("probe", args, Set.of("--config", "--set"), Set.of("--help"), 1);
    if (cl.has("--help")) {
      out.println(PROBE_HELP);
      return 0;
    }
    if (cl.positional().isEmpty()) throw new UsageException("probe: a video URI is required\n" + PROBE_HELP);
    String uri = cl.positional().get(0);
    JobConfig config = new JobConfig(cl.get("--config") == null ? null : new File(cl.get("--config")), cl.all("--set"));
    config.resolve();
    Storage storage = Storage.fromSparkProperties(sparkConf(config.sparkProperties()));
    File tmp = Files.createTempDirectory("viaspark-probe").toFile();
    try {
      if (!storage.exists(uri)) throw new VideoException(uri, "no such file");
      out.print(VideoProbe.probe(storage.localCopy(uri, tmp)).describe());
      return 0;
    } finally {
      Errors.deleteQuietly(tmp);
    }
  }

  static int generate(List<String> args, PrintStream out) {
    CommandLine cl = CommandLine.parse("generate", args,
        Set.of("--output", "--seconds", "--size", "--fps", "--gop", "--codec", "--rotation"),
        Set.of("--no-audio", "--help"), 0);
    if (cl.has("--help")) {
      out.println(GENERATE_HELP);
      return 0;
    }
    if (cl.get("--output") == null) throw new UsageException("generate: --output is required");
    SyntheticVideo v = new SyntheticVideo();
    int[] size = Flags.size(cl, "generate", "--size", "320x240");
    v.size(size[0], size[1]);
    v.fps(Flags.positive(cl, "--fps", 25), 1);
    v.gop(Flags.positive(cl, "--gop", 50));
    v.seconds(cl.get("--seconds") == null ? 10 : Flags.positiveDouble(cl, "--seconds"));
    if (cl.get("--codec") != null) {
      try {
        v.codec(dev.viaspark.video.OutputCodec.parse(cl.get("--codec")));
      } catch (IllegalArgumentException e) {
        throw new UsageException("generate: --codec " + e.getMessage());
      }
    }
    v.audio(!cl.has("--no-audio"));
    int rotation = Flags.nonNegative(cl, "--rotation", 0);
    if (rotation % 90 != 0 || rotation >= 360) {
      throw new UsageException("generate: --rotation " + rotation + ": expected 0, 90, 180 or 270 (display rotation "
          + "as phones write it)");
    }
    v.rotation(rotation);
    File f = new File(cl.get("--output"));
    if (f.getAbsoluteFile().getParentFile() != null) f.getAbsoluteFile().getParentFile().mkdirs();
    v.write(f);
    out.println(f.getAbsolutePath());
    return 0;
  }

  /** Local Spark unless spark-submit (or --set spark.master) chose a master. */
  /**
   * The Spark properties the job starts with: spark-submit's (system properties), then the settings' spark.* keys,
   * with viaspark's defaults (local[*], app name viaspark, no console progress bar).
   */
  static Map<String, String> sparkConf(Map<String, String> properties) {
    SparkConf conf = new SparkConf();
    properties.forEach(conf::set);
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.app.name", "viaspark");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (scala.Tuple2<String, String> kv : conf.getAll()) m.put(kv._1(), kv._2());
    return m;
  }

  static SparkSession startSpark(Map<String, String> properties) {
    SparkConf conf = new SparkConf(false);
    sparkConf(properties).forEach(conf::set);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
