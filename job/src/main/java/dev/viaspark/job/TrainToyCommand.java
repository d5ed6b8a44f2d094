package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.Flags;
import dev.viaspark.cli.UsageException;
import dev.viaspark.toy.FamilyOdds;
import dev.viaspark.toy.StripeDraw;
import dev.viaspark.train.ShapeWeights;
import dev.viaspark.train.ToyTrainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code viaspark train-toy}: trains the toy InstructPix2Pix model from scratch on the CPU, no
 * Spark.
 */
final class TrainToyCommand {
  static final double DEFAULT_MINUTES = 45;
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark train-toy --output DIR [--minutes N] [--seed S] [--vae-steps N --unet-steps N]",
          "                          [--from MODEL] [--family-odds ODDS] [--kept-shape-weight W]",
          "                          [--named-shape-weight W] [--contrastive-pairs] [--keep-vae | --keep-unet]",
          "                          [--grounding-weight W] [--stripes any|one] [--stop-after MIN]",
          "       viaspark train-toy --resume DIR [--unet-steps N] [--stop-after MIN]",
          "",
          "Trains the small InstructPix2Pix model of the toy domain (64x64 frames of moving shapes, instructions",
          "such as \"make the circle red\", \"make the background black\", \"make it grayscale\") from random weights:",
          "the VAE first ("
              + Math.round(100 * ToyTrainer.VAE_SHARE)
              + "% of the time), then the UNet and text encoder with",
          "InstructPix2Pix's dropout of the instruction and the image, written as the moving average of their weights.",
          "Writes a diffusers folder DIR (vae/, unet/, text_encoder/, tokenizer/, scheduler/) that",
          "edit --set model.path=DIR loads, with train-log.tsv (loss per step), loss.png, train.json (seed, commands,",
          "steps, minutes, held-out accuracy) and training-state/ (what --resume needs) beside the weights. DIR must",
          "not exist; until the run is complete it is DIR.partial.",
          "",
          "  --minutes N       time budget of the training (default "
              + (int) DEFAULT_MINUTES
              + "); steps are calibrated",
          "                    from the first few and logged, so a run can be repeated exactly with --vae-steps and",
          "                    --unet-steps",
          "  --seed S          seed of the weights, the example stream, the noise and the dropout (default 1)",
          "  --from MODEL      fine-tune a trained toy model instead of starting from random weights: the VAE",
          "                    steps train its decoder alone (the encoder, its latents and their scaling stay), the",
          "                    UNet steps its UNet and text encoder, at a lower peak learning rate. The run keeps",
          "                    MODEL's layout (latent channels, vocabulary) and draws no example of a family its",
          "                    vocabulary cannot say (model v2 has no word for stripes; `viaspark grow-vocabulary`",
          "                    gives a model the words it lacks)",
          "  --family-odds ODDS",
          "                    the odds of each instruction family among the training examples, e.g.",
          "                    shape=0.6,background=0.25,grayscale=0.1,invert=0.05 (families: shape, background,",
          "                    grayscale, invert, pattern; one not named is not drawn). Default: the sampler's own,",
          "                    "
              + FamilyOdds.STANDARD
              + ". Held-out examples always keep the sampler's own.",
          "  --kept-shape-weight W",
          "                    extra loss weight on the shapes an instruction leaves alone (\"make the circle red\":",
          "                    the other shapes' pixels weigh 1 + W), to teach which shape a word names (default 0)",
          "  --named-shape-weight W",
          "                    extra loss weight on the shapes an instruction names (the circle's pixels weigh",
          "                    1 + W), so that leaving shapes alone does not win over editing the named one (default 0)",
          "  --contrastive-pairs",
          "                    give each shape example of the UNet phase its twin in the batch: the same frame",
          "                    and colour with another shape kind the frame shows named (\"make the square red\"",
          "                    beside \"make the circle red\"), under the same noise and timestep, so that only",
          "                    the shape's word tells the two targets apart",
          "  --grounding-weight W",
          "                    add a cross-attention grounding loss times W (after TokenCompose): the words that",
          "                    name what an instruction edits (\"circle\" and \"red\" in \"make the circle red\",",
          "                    \"background\" and its colour) must be attended to from the edit region's latent",
          "                    pixels, so that the text encoder tells the shape words apart (default 0: none)",
          "  --stripes any|one how the stripes of \"add stripes to the background\" are drawn for training",
          "                    examples: any orientation, period and phase (default), or one geometry (45",
          "                    degrees, a 12-pixel period), the colour drawn either way; a small model taught",
          "                    every geometry at once paints a maze of bands. Held-out examples draw any.",
          "  --keep-vae        with --from: keep MODEL's VAE as it is and train the UNet alone (a decoder",
          "                    phase of a few steps harms it: its schedule starts at the peak learning rate)",
          "  --keep-unet       with --from: keep MODEL's UNet and text encoder as they are and fine-tune its",
          "                    decoder alone, for --vae-steps or the whole --minutes budget (the latents stay",
          "                    MODEL's, so its UNet stays right for them)",
          "  --stop-after MIN  end this sitting after MIN minutes, saving the state (it is also saved every 5",
          "                    minutes); continue with --resume DIR. Resumed runs give the same weights as one",
          "                    sitting.",
          "  --resume DIR      continue the run of DIR (DIR.partial while unfinished), optimizer and all; with",
          "                    --unet-steps N above the plan's, train a finished model further (its learning rate",
          "                    schedule is stretched to N steps; DIR is replaced when the new run is complete)");

  private TrainToyCommand() {}

  private static double shapeWeight(CommandLine cl, String flag) {
    return cl.get(flag) == null ? 0 : Flags.positiveDouble(cl, flag);
  }

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "train-toy",
            args,
            Set.of(
                "--output",
                "--resume",
                "--minutes",
                "--seed",
                "--vae-steps",
                "--unet-steps",
                "--stop-after",
                "--from",
                "--family-odds",
                "--kept-shape-weight",
                "--named-shape-weight",
                "--grounding-weight",
                "--stripes"),
            Set.of("--help", "--contrastive-pairs", "--keep-vae", "--keep-unet"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    boolean resume = cl.get("--resume") != null;
    if (resume == (cl.get("--output") != null)) {
      throw new UsageException(
          "train-toy: give either --output (a new run) or --resume (an existing one)\n" + HELP);
    }
    if (resume
        && (cl.get("--minutes") != null
            || cl.get("--seed") != null
            || cl.get("--from") != null
            || cl.get("--family-odds") != null
            || cl.get("--kept-shape-weight") != null
            || cl.get("--named-shape-weight") != null
            || cl.get("--grounding-weight") != null
            || cl.get("--stripes") != null
            || cl.has("--contrastive-pairs")
            || cl.has("--keep-vae")
            || cl.has("--keep-unet"))) {
      throw new UsageException(
          "train-toy: --minutes, --seed, --from, --family-odds, --kept-shape-weight,"
              + " --named-shape-weight, --grounding-weight, --stripes, --contrastive-pairs, --keep-vae"
              + " and --keep-unet belong to the run being resumed; give --unet-steps to train it"
              + " further");
    }
    if (cl.get("--family-odds") != null) {
      try {
        FamilyOdds.parse(cl.get("--family-odds"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("train-toy: --family-odds: " + e.getMessage());
      }
    }
    StripeDraw stripes;
    try {
      stripes = cl.get("--stripes") == null ? StripeDraw.ANY : StripeDraw.of(cl.get("--stripes"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("train-toy: --stripes: " + e.getMessage());
    }
    if (cl.has("--keep-vae") && (cl.get("--from") == null || cl.get("--vae-steps") != null)) {
      throw new UsageException(
          "train-toy: --keep-vae keeps the VAE of the model given by --from, and takes no --vae-steps");
    }
    if (cl.has("--keep-unet")
        && (cl.get("--from") == null || cl.get("--unet-steps") != null || cl.has("--keep-vae"))) {
      throw new UsageException(
          "train-toy: --keep-unet keeps the UNet of the model given by --from and trains its decoder;"
              + " it takes no --unet-steps or --keep-vae");
    }
    if (cl.get("--from") != null && !Files.isDirectory(Path.of(cl.get("--from")))) {
      throw new UsageException("train-toy: --from " + cl.get("--from") + ": no such folder");
    }
    Path dir = Path.of(resume ? cl.get("--resume") : cl.get("--output"));
    if (!resume && Files.exists(dir)) {
      throw new UsageException(
          "train-toy: --output " + dir + ": already exists; choose a new folder");
    }
    double minutes =
        cl.get("--minutes") == null ? DEFAULT_MINUTES : Flags.positiveDouble(cl, "--minutes");
    double stopAfter =
        cl.get("--stop-after") == null ? 0 : Flags.positiveDouble(cl, "--stop-after");
    long seed;
    try {
      seed = cl.get("--seed") == null ? 1 : Long.parseLong(cl.get("--seed"));
    } catch (NumberFormatException e) {
      throw new UsageException("train-toy: --seed " + cl.get("--seed") + ": expected an integer");
    }
    String command = "viaspark train-toy " + String.join(" ", args);
    ToyTrainer.Result r =
        new ToyTrainer(
                new ToyTrainer.Options(
                    dir,
                    minutes,
                    seed,
                    cl.has("--keep-vae")
                        ? ToyTrainer.KEEP_VAE
                        : Flags.nonNegative(cl, "--vae-steps", 0),
                    cl.has("--keep-unet")
                        ? ToyTrainer.KEEP_UNET
                        : Flags.nonNegative(cl, "--unet-steps", 0),
                    command,
                    resume,
                    stopAfter,
                    0,
                    ToyTrainer.EVALUATION_EXAMPLES,
                    cl.get("--from") == null ? null : Path.of(cl.get("--from")),
                    cl.get("--family-odds"),
                    new ShapeWeights(
                        shapeWeight(cl, "--kept-shape-weight"),
                        shapeWeight(cl, "--named-shape-weight")),
                    cl.has("--contrastive-pairs"),
                    shapeWeight(cl, "--grounding-weight"),
                    stripes),
                out)
            .run();
    out.println(r.checkpoint());
    return 0;
  }
}
