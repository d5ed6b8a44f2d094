package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.UsageException;
import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code viaspark edit-image}: one InstructPix2Pix edit of one still image, no Spark. */
final class EditImageCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark edit-image --model DIR --input IMG --instruction TEXT --output IMG",
          "                           [--steps N] [--guidance G] [--image-guidance IG] [--seed S]",
          "                           [--negative TEXT] [--scheduler NAME] [--device cpu|gpu:N] [--set key=value]...",
          "",
          "Edits one image with InstructPix2Pix from a diffusers folder (local path, or hdfs:/s3a: URI).",
          "Defaults come from reference.conf: 10 steps, guidance 7.5, image guidance 1.5, seed 42, the",
          "checkpoint's scheduler (or EulerAncestralDiscreteScheduler, EulerDiscreteScheduler, DDIMScheduler).",
          "Sides that are not multiples of 8 are resized for the model and the result is resized back.",
          "The output format follows its extension (.png, .jpg, ...); it is written atomically.");

  private EditImageCommand() {}

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "edit-image",
            args,
            Set.of(
                "--model",
                "--input",
                "--instruction",
                "--output",
                "--steps",
                "--guidance",
                "--image-guidance",
                "--seed",
                "--negative",
                "--scheduler",
                "--device",
                "--set"),
            Set.of("--help"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    for (String required : List.of("--model", "--input", "--instruction", "--output")) {
      if (cl.get(required) == null)
        throw new UsageException(
            "edit-image: " + required + " is required (see viaspark edit-image --help)");
    }
    ConfigLayers layers = new ConfigLayers();
    layers.set("edit.editor", "ip2p");
    layers.set("model.path", cl.get("--model"));
    Map<String, String> flags =
        Map.of(
            "--steps",
            "edit.steps",
            "--guidance",
            "edit.guidance-scale",
            "--image-guidance",
            "edit.image-guidance-scale",
            "--seed",
            "seed.value",
            "--negative",
            "edit.negative-prompt",
            "--scheduler",
            "model.scheduler");
    flags.forEach(
        (flag, key) -> {
          if (cl.get(flag) != null) layers.set(key, cl.get(flag));
        });
    for (String kv : cl.all("--set")) layers.set(kv);
    ViasparkSettings settings = layers.resolve();
    Device device = parseDevice(cl.get("--device"));
    File input = new File(cl.get("--input"));
    VideoFrame frame = readImage(input);
    long start = System.nanoTime();
    out.println("loading " + cl.get("--model") + " on " + device + " ...");
    InstructPix2PixEditor editor =
        (InstructPix2PixEditor)
            new InstructPix2PixEditor.Provider()
                .create(
                    "ip2p",
                    settings.config(),
                    device,
                    new Storage(hadoopProperties(layers.sparkProperties())));
    out.printf(
        "loaded in %.1f s; editing %dx%d with %d steps%n",
        (System.nanoTime() - start) / 1e9, frame.width(), frame.height(), settings.steps);
    long editStart = System.nanoTime();
    VideoContext context =
        new VideoContext(
            input.getName(),
            input.getPath(),
            cl.get("--instruction"),
            frame.width(),
            frame.height(),
            0,
            1,
            settings.seed,
            Map.of());
    VideoFrame edited;
    try (var session = editor.open(context)) {
      edited = session.edit(List.of(frame)).get(0);
    }
    File output = new File(cl.get("--output"));
    writeImage(edited, output);
    out.printf(
        "wrote %s (edit %.1f s)%n",
        output.getAbsolutePath(), (System.nanoTime() - editStart) / 1e9);
    return 0;
  }

  /**
   * {@code spark.hadoop.X} properties as Hadoop's {@code X}, so --set spark.hadoop.fs.s3a.* reaches
   * S3 without Spark.
   */
  static Map<String, String> hadoopProperties(Map<String, String> spark) {
    Map<String, String> out = new LinkedHashMap<>();
    spark.forEach(
        (k, v) -> {
          if (k.startsWith("spark.hadoop.")) out.put(k.substring("spark.hadoop.".length()), v);
        });
    return out;
  }

  static Device parseDevice(String s) {
    if (s == null || s.equals("cpu")) return Device.CPU;
    if (s.matches("gpu(:[0-9]+)?"))
      return Device.gpu(s.length() > 4 ? Integer.parseInt(s.substring(4)) : 0);
    throw new UsageException("--device " + s + ": expected cpu or gpu:N");
  }

  private static VideoFrame readImage(File file) throws IOException {
    try {
      return ImageFiles.read(file);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void writeImage(VideoFrame frame, File file) throws IOException {
    try {
      ImageFiles.write(frame, file);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
