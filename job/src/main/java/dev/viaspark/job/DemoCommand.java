package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.edit.diffusion.MaskFrames;
import dev.viaspark.toy.ToyDemoVideo;
import dev.viaspark.train.ToyEvaluation;
import dev.viaspark.video.FrameGrid;
import dev.viaspark.video.VideoFrames;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code viaspark demo}: generates a held-out toy video, edits it with the bundled toy model and
 * Via through {@code edit}, and writes a before/after strip.
 */
final class DemoCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark demo [--output DIR] [--editor NAME] [--set key=value]...",
          "",
          "Generates a sample video into DIR/input/shapes.mp4: moving shapes from the toy domain (64x64, 6 s,",
          "25 fps, a keyframe every 2 s, an AAC track) that the bundled toy model never saw in training. Edits it",
          "on local Spark into DIR/output/ with that model (unpacked into DIR/model-ID/, ID from its checksum)",
          "and Via gather-and-swap, following an instruction of the toy grammar (\"make the circle red\"),",
          "changing only where the model's cross-attention finds the named words (edit.mask =",
          "attention:circle,red; each frame follows the region its anchor kept: edit.mask-auto-regions = follow),",
          "then writes DIR/output/before-after.png (six frames, source above, edit below) next to the report.",
          "--editor NAME edits with another editor instead (e.g. opencv:cartoon); --set overrides any setting.",
          "DIR defaults to ./viaspark-demo.");

  private DemoCommand() {}

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "demo", args, Set.of("--output", "--editor", "--set"), Set.of("--help"), 0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    File dir =
        new File(cl.get("--output") != null ? cl.get("--output") : "viaspark-demo")
            .getAbsoluteFile();
    File input = new File(dir, "input");
    Files.createDirectories(input.toPath());
    ToyDemoVideo sample = ToyDemoVideo.pick();
    File video = new File(input, "shapes.mp4");
    if (!video.isFile()) {
      out.println(
          "[viaspark] generating "
              + video
              + " (held-out toy scene "
              + sample.seed()
              + ": "
              + ToyDemoVideo.FRAMES
              + " frames, 64x64, "
              + ToyDemoVideo.FPS
              + " fps, keyframe every "
              + ToyDemoVideo.KEYFRAME_INTERVAL
              + " frames, AAC audio)");
      sample.writeIfMissing(video);
    }
    String instruction = sample.instruction().text();
    File output = new File(dir, "output");
    List<String> editArgs =
        new ArrayList<>(
            List.of(
                "--input",
                video.getPath(),
                "--output",
                output.getPath(),
                "--instruction",
                instruction,
                "--set",
                "video.segment-frames=" + ToyDemoVideo.KEYFRAME_INTERVAL,
                "--set",
                "output.bits-per-pixel=2"));
    if (cl.get("--editor") != null) {
      editArgs.addAll(List.of("--editor", cl.get("--editor")));
    } else {
      Path model = BundledToyModel.unpack(dir.toPath());
      String mask =
          ToyEvaluation.maskOption(ToyEvaluation.Masks.ATTENTION, sample.instruction())
              .get(MaskFrames.OPTION);
      out.println(
          "[viaspark] editing with the bundled toy model ("
              + model
              + "), the mask from its attention to the instruction's words ("
              + mask
              + ", every frame following the region of its anchor) and Via: \""
              + instruction
              + "\"");
      List<String> settings =
          new ArrayList<>(
              List.of(
                  "edit.editor=ip2p",
                  "model.path=" + model,
                  "via.enabled=true",
                  "edit.mask=" + mask,
                  "edit.mask-auto-regions=follow"));
      settings.addAll(ToyEvaluation.editSettings());
      for (String kv : settings) editArgs.addAll(List.of("--set", kv));
    }
    for (String s : cl.all("--set")) editArgs.addAll(List.of("--set", s));
    int status = EditCommand.run(editArgs, out);
    File edited = editedVideo(output, video);
    if (edited.isFile()) {
      File strip = new File(output, "before-after.png");
      FrameGrid.write(
          List.of(
              VideoFrames.first(video, ToyDemoVideo.FRAMES),
              VideoFrames.first(edited, ToyDemoVideo.FRAMES)),
          6,
          4,
          strip);
      out.println("[viaspark] before (top) and after (bottom): " + strip);
    }
    out.println("[viaspark] demo output: " + edited);
    return status;
  }

  /**
   * The edited video in {@code output}: named as the input, in the container the output codec chose
   * (an {@code --set output.codec=ffv1} demo writes Matroska).
   */
  private static File editedVideo(File output, File input) {
    String base = input.getName().substring(0, input.getName().lastIndexOf('.') + 1);
    File[] files = output.listFiles((d, name) -> name.startsWith(base));
    return files != null && files.length == 1 && files[0].isFile()
        ? files[0]
        : new File(output, input.getName());
  }
}
