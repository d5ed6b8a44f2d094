package dev.viaspark.job;

import dev.viaspark.cli.UsageException;
import dev.viaspark.config.SettingsException;
import dev.viaspark.job.bench.BenchCommand;
import dev.viaspark.video.VideoException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The viaspark command line, the same under {@code job/viaspark} and {@code spark-submit}. Exit
 * status: 0 all videos ok (or already done); 1 bad usage or configuration (before Spark starts); 2
 * input videos failed (edit: some videos, each with its report row; probe: the video); 3 an
 * unexpected error (the stack trace is printed: an environment problem or a bug).
 */
public final class ViasparkMain {
  static final String USAGE =
      String.join(
          "\n",
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
          "  grow-vocabulary --model DIR --output DIR  a toy model with today's grammar's words, to fine-tune",
          "  deepen-unet --model DIR --output DIR --layers-per-block N",
          "                                         a toy model with a deeper UNet that edits as before, to fine-tune",
          "  help                                   this text",
          "",
          "`viaspark <command> --help` describes each command.",
          "Exit status: 0 ok; 1 bad usage or configuration; 2 input videos failed (edit: some, each with its report",
          "row; probe: the video); 3 an unexpected error (stack trace printed).");

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
        case "edit" -> EditCommand.run(rest, out);
        case "demo" -> DemoCommand.run(rest, out);
        case "probe" -> ProbeCommand.run(rest, out);
        case "generate" -> GenerateCommand.run(rest, out);
        case "edit-image" -> EditImageCommand.run(rest, out);
        case "bench" -> BenchCommand.run(rest, out);
        case "train-toy" -> TrainToyCommand.run(rest, out);
        case "grow-vocabulary" -> GrowVocabularyCommand.run(rest, out);
        case "deepen-unet" -> DeepenUnetCommand.run(rest, out);
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
}
