package dev.viaspark.job;

import dev.viaspark.train.ToyTrainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code viaspark train-toy}: trains the toy InstructPix2Pix model from scratch on the CPU, no Spark. */
final class TrainToyCommand {
  static final double DEFAULT_MINUTES = 45;
  static final String HELP = String.join("\n",
      "usage: viaspark train-toy --output DIR [--minutes N] [--seed S] [--vae-steps N --unet-steps N]",
      "",
      "Trains the small InstructPix2Pix model of the toy domain (64x64 frames of moving shapes, instructions",
      "such as \"make the circle red\", \"make the background black\", \"make it grayscale\") from random weights:",
      "the VAE first (a quarter of the time), then the UNet and text encoder with InstructPix2Pix's dropout of",
      "the instruction and the image. Writes a diffusers folder DIR (vae/, unet/, text_encoder/, tokenizer/,",
      "scheduler/) that edit --set model.path=DIR loads, with train-log.tsv (loss per step), train.json (seed,",
      "command, steps, minutes, held-out accuracy) beside the weights. DIR must not exist.",
      "",
      "  --minutes N     time budget of the training (default " + (int) DEFAULT_MINUTES + "); steps are calibrated",
      "                  from the first few and logged, so a run can be repeated exactly with --vae-steps and",
      "                  --unet-steps",
      "  --seed S        seed of the weights, the example stream, the noise and the dropout (default 1)");

  private TrainToyCommand() {}

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl = CommandLine.parse("train-toy", args,
        Set.of("--output", "--minutes", "--seed", "--vae-steps", "--unet-steps"), Set.of("--help"), 0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    if (cl.get("--output") == null) throw new UsageException("train-toy: --output is required\n" + HELP);
    if (Files.exists(Path.of(cl.get("--output")))) {
      throw new UsageException("train-toy: --output " + cl.get("--output") + ": already exists; choose a new folder");
    }
    double minutes = cl.get("--minutes") == null ? DEFAULT_MINUTES : Flags.positiveDouble(cl, "--minutes");
    long seed;
    try {
      seed = cl.get("--seed") == null ? 1 : Long.parseLong(cl.get("--seed"));
    } catch (NumberFormatException e) {
      throw new UsageException("train-toy: --seed " + cl.get("--seed") + ": expected an integer");
    }
    String command = "viaspark train-toy " + String.join(" ", args);
    ToyTrainer.Result r = new ToyTrainer(new ToyTrainer.Options(Path.of(cl.get("--output")), minutes, seed,
        Flags.nonNegative(cl, "--vae-steps", 0), Flags.nonNegative(cl, "--unet-steps", 0), command), out).run();
    out.println(r.checkpoint());
    return 0;
  }
}
