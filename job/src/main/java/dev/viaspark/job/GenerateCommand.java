package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.Flags;
import dev.viaspark.cli.UsageException;
import dev.viaspark.video.OutputCodec;
import dev.viaspark.video.SyntheticVideo;
import java.io.File;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code viaspark generate}: writes a deterministic synthetic test video. */
final class GenerateCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark generate --output FILE [--seconds S] [--size WxH] [--fps N] [--gop FRAMES]",
          "                         [--codec h264|mpeg4|ffv1] [--no-audio] [--rotation 0|90|180|270]",
          "",
          "Writes a deterministic synthetic video (gradient, moving square and disc, 440 Hz AAC tone) for tests",
          "and benchmarks. Defaults: 10 s, 320x240, 25 fps, a keyframe every 50 frames, h264, with audio, no",
          "rotation (--rotation writes display-rotation metadata, as phones do).");

  private GenerateCommand() {}

  static int run(List<String> args, PrintStream out) {
    CommandLine cl =
        CommandLine.parse(
            "generate",
            args,
            Set.of("--output", "--seconds", "--size", "--fps", "--gop", "--codec", "--rotation"),
            Set.of("--no-audio", "--help"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
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
        v.codec(OutputCodec.parse(cl.get("--codec")));
      } catch (IllegalArgumentException e) {
        throw new UsageException("generate: --codec " + e.getMessage());
      }
    }
    v.audio(!cl.has("--no-audio"));
    int rotation = Flags.nonNegative(cl, "--rotation", 0);
    if (rotation % 90 != 0 || rotation >= 360) {
      throw new UsageException(
          "generate: --rotation "
              + rotation
              + ": expected 0, 90, 180 or 270 (display rotation "
              + "as phones write it)");
    }
    v.rotation(rotation);
    File f = new File(cl.get("--output"));
    if (f.getAbsoluteFile().getParentFile() != null) f.getAbsoluteFile().getParentFile().mkdirs();
    v.write(f);
    out.println(f.getAbsolutePath());
    return 0;
  }
}
