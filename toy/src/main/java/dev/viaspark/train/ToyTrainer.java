package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.pipeline.ImageTensors;
import dev.viaspark.diffusion.schedulers.TrainingSchedule;
import dev.viaspark.diffusion.train.Adam;
import dev.viaspark.diffusion.train.TrainingStep;
import dev.viaspark.diffusion.vae.AutoencoderKL;
import dev.viaspark.diffusion.weights.RandomTensorSource;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import dev.viaspark.diffusion.weights.SafetensorsSource;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import dev.viaspark.diffusion.weights.TensorSource;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.toy.FamilyOdds;
import dev.viaspark.toy.StripeDraw;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFamily;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.toy.ToyInstruction;
import dev.viaspark.toy.ToySplit;
import dev.viaspark.video.VideoFrame;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains the toy InstructPix2Pix model ({@link ToyModelLayout}) from scratch on toy examples: the
 * VAE first, then the UNet and text encoder against the frozen VAE, each for a share of a time
 * budget (or a given number of steps), and writes the diffusers folder with its training log
 * ({@code train-log.tsv}, {@code loss.png}, {@code train.json}). The UNet and text encoder are
 * written as the exponential moving average of their weights.
 *
 * <p>Training is resumable: the run's weights, optimizer state, moving average and progress are
 * saved in {@code training-state/} every few minutes and whenever a sitting stops ({@link
 * Options#stopAfterMinutes}), in {@code OUTPUT.partial} until the run is complete, then in the
 * output folder itself, so that a finished model can also be trained further ({@link
 * Options#resume} with more steps).
 *
 * <p>Given the same seed and step counts, training is deterministic bit for bit, across sittings
 * too: each step's examples, noise and dropout are a function of the seed, the phase and the step,
 * and the learning rate follows the step, not the clock. With a time budget the step counts are
 * fixed after a short calibration and logged, so a run can be repeated exactly with {@code
 * --vae-steps} and {@code --unet-steps}.
 */
public final class ToyTrainer {
  static final int VAE_BATCH = 16;
  static final int UNET_BATCH = 32;
  static final float VAE_LR = 1e-3f;
  static final float UNET_LR = 1e-3f;

  /** Peak learning rate when fine-tuning a trained model ({@link Options#from}). */
  static final float FINE_TUNE_LR = 3e-4f;

  /**
   * Steps of linear learning-rate warm-up (a tenth of a phase's steps when it has fewer than 1000);
   * then a cosine down to 5%. A fixed count, so that a calibrating run, which does not yet know its
   * step count, warms up as its repeat with the calibrated count does.
   */
  static final int WARMUP_STEPS = 100;

  /**
   * IP2P's conditioning dropout: this share of examples loses its instruction, its image, or both
   * (each).
   */
  static final double DROPOUT = 0.05;

  public static final double VAE_SHARE = 0.3;
  static final float EMA_DECAY = 0.999f;
  static final int CALIBRATION_STEPS = 8;
  public static final int EVALUATION_EXAMPLES = 48;

  /** {@link Options#vaeSteps} of a fine-tune that keeps its model's VAE as it is. */
  public static final int KEEP_VAE = TrainingProgress.KEEP_VAE;

  /**
   * {@link Options#unetSteps} of a fine-tune that keeps its model's UNet and text encoder as they
   * are and trains the VAE's decoder alone.
   */
  public static final int KEEP_UNET = TrainingProgress.KEEP_UNET;

  static final int MAX_SKIPPED_IN_A_ROW = 20;
  static final double SAVE_EVERY_MINUTES = 5;
  static final String STATE = "training-state";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param output the folder to write (with {@code resume}: the run to continue, finished or not)
   * @param minutes the time budget of both phases (calibrated into step counts); ignored for a
   *     phase whose steps are given
   * @param vaeSteps steps of the VAE phase, 0 to derive them from the budget (or, resuming, to keep
   *     the plan's), {@link #KEEP_VAE} for a fine-tune that keeps its model's VAE as it is
   * @param unetSteps steps of the UNet phase, 0 to derive them from the budget (or, resuming, to
   *     keep the plan's; more than the plan's trains a finished model further), {@link #KEEP_UNET}
   *     for a fine-tune that keeps its model's UNet and text encoder as they are (the whole budget
   *     then goes to the decoder)
   * @param command how the sitting was started, for the log
   * @param stopAfterMinutes end this sitting after this long, saving the state (0: run to the end)
   * @param stopAfterSteps end this sitting after this many steps of either phase (0: no limit; for
   *     tests)
   * @param evaluationExamples held-out examples the finished model is scored on, in train.json
   * @param from a trained toy model to fine-tune instead of starting from random weights (null:
   *     random): its VAE's decoder is trained for the VAE steps with the encoder frozen (so its
   *     latents, and its scaling factor, stay what the UNet learned on), then its UNet and text
   *     encoder for the UNet steps; the run keeps that model's layout (latent channels, vocabulary)
   *     and draws no example of a family its vocabulary cannot say
   * @param familyOdds the odds the training examples' families are drawn with, as {@link
   *     FamilyOdds#parse} reads them (null or empty: the sampler's own, {@link
   *     FamilyOdds#STANDARD}); held-out evaluation always uses the sampler's own
   * @param shapeWeights the extra loss weights on the shapes an instruction leaves alone and on
   *     those it names ({@link ShapeWeights#NONE}: the plain mean)
   * @param contrastivePairs whether each shape example of the UNet phase comes with its twin
   *     ({@link ToyDataset#twin}: the same frame, another shape kind named) under the same noise
   *     and timestep, so that the only thing telling the two targets apart is the shape's word
   * @param groundingWeight the weight of the cross-attention grounding loss ({@link
   *     AttentionGrounding}: the words naming the edited region must be attended to from it; 0:
   *     none)
   * @param stripes how the stripes of the training examples are drawn ({@link StripeDraw#ONE}: one
   *     geometry, the colour still drawn); held-out evaluation always draws any
   */
  public record Options(
      Path output,
      double minutes,
      long seed,
      int vaeSteps,
      int unetSteps,
      String command,
      boolean resume,
      double stopAfterMinutes,
      int stopAfterSteps,
      int evaluationExamples,
      Path from,
      String familyOdds,
      ShapeWeights shapeWeights,
      boolean contrastivePairs,
      double groundingWeight,
      StripeDraw stripes) {
    public Options {
      if (!(groundingWeight >= 0)) {
        throw new IllegalArgumentException(
            "grounding weight " + groundingWeight + ": must be 0 or more");
      }
    }

    /** Examples drawn with the sampler's own family odds, no extra weight on kept shapes. */
    public Options(
        Path output,
        double minutes,
        long seed,
        int vaeSteps,
        int unetSteps,
        String command,
        boolean resume,
        double stopAfterMinutes,
        int stopAfterSteps,
        int evaluationExamples,
        Path from) {
      this(
          output,
          minutes,
          seed,
          vaeSteps,
          unetSteps,
          command,
          resume,
          stopAfterMinutes,
          stopAfterSteps,
          evaluationExamples,
          from,
          null,
          ShapeWeights.NONE,
          false,
          0,
          StripeDraw.ANY);
    }

    /** A new run from random weights to the end. */
    public Options(
        Path output, double minutes, long seed, int vaeSteps, int unetSteps, String command) {
      this(
          output,
          minutes,
          seed,
          vaeSteps,
          unetSteps,
          command,
          false,
          0,
          0,
          EVALUATION_EXAMPLES,
          null);
    }
  }

  /**
   * What a sitting did: the run's steps per phase, its seconds over all sittings, and the held-out
   * accuracy of what it wrote (null when the sitting stopped before the run's end).
   */
  public record Result(
      Path checkpoint,
      boolean finished,
      int vaeSteps,
      int unetSteps,
      double seconds,
      ToyEvaluation.Summary heldOut) {}

  private final Options options;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private double previousSeconds;
  private int sittingSteps;
  private long lastSave = System.nanoTime();
  private BufferedWriter log;
  private TrainingProgress progress;
  private Path staging;
  private FamilyOdds odds;

  public ToyTrainer(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Result run() throws IOException {
    Path output = options.output().toAbsolutePath();
    GrammarBpe vocabulary = ToyModelLayout.vocabulary();
    if (options.resume()) {
      openResumed(output);
    } else {
      openNew(output, vocabulary);
    }
    previousSeconds = progress.seconds();
    ClipTokenizer tokenizer = ClipTokenizer.load(staging.resolve("tokenizer"));
    odds = drawnOdds(progress.familyOdds(), tokenizer);
    out.printf(
        "[train-toy] seed %d, budget %.1f min, %d cores; vocabulary %d tokens; families %s%s%s%s%s%s%s%s%n",
        progress.seed(),
        progress.budgetMinutes(),
        Runtime.getRuntime().availableProcessors(),
        tokenizer.vocabSize(),
        odds,
        progress.shapeWeights().describe(),
        progress.contrastivePairs() ? "; contrastive pairs" : "",
        progress.groundingWeight() > 0
            ? String.format(Locale.ROOT, "; attention grounding x%.3g", progress.groundingWeight())
            : "",
        progress.vaeSteps() == KEEP_VAE ? "; VAE kept" : "",
        progress.unetSteps() == KEEP_UNET ? "; UNet and text encoder kept" : "",
        progress.stripes() == StripeDraw.ONE ? "; stripes of one geometry" : "",
        options.resume()
            ? String.format(
                Locale.ROOT, "; resuming at %s after %.1f min", position(), previousSeconds / 60)
            : "");
    try (BufferedWriter w =
        Files.newBufferedWriter(
            staging.resolve("train-log.tsv"),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
      log = w;
      if (!progress.vaeFinished()) {
        try (NDManager manager = NDManager.newBaseManager()) {
          if (!trainVae(manager)) return stopped();
        }
        // a fine-tune keeps its model's configs, scaling factor included
        if (progress.from().isEmpty()) {
          ToyModelLayout.writeConfigs(staging, vocabulary, progress.vaeScaling());
        }
      }
      if (!progress.finished()) {
        try (NDManager manager = NDManager.newBaseManager()) {
          if (!trainUnet(manager)) return stopped();
        }
      }
    }
    out.println("[train-toy] evaluating on held-out examples...");
    ToyEvaluation.Summary summary;
    try (InstructPix2PixEditor editor = ToyEvaluation.editor(staging)) {
      summary = ToyEvaluation.heldOut(editor, options.evaluationExamples());
    }
    out.println("[train-toy] " + summary.describe());
    writeSummary(summary);
    LossChart.fromLog(staging.resolve("train-log.tsv")).write(staging.resolve("loss.png"));
    publish(output);
    out.printf(
        "[train-toy] wrote %s: %d vae + %d unet steps in %.1f min over %d sitting(s)%n",
        output,
        Math.max(0, progress.vaeSteps()),
        Math.max(0, progress.unetSteps()),
        seconds() / 60,
        progress.commands().size());
    return new Result(output, true, progress.vaeSteps(), progress.unetSteps(), seconds(), summary);
  }

  private void openNew(Path output, GrammarBpe vocabulary) throws IOException {
    if (Files.exists(output))
      throw new IOException(output + ": already exists; choose a new --output folder");
    staging = partial(output);
    if (Files.exists(staging.resolve(STATE))) {
      throw new IOException(
          staging
              + " holds an interrupted run: continue it with --resume "
              + output
              + ", or delete it to start again");
    }
    TempFolder.deleteTree(staging.toFile());
    if (options.vaeSteps() == KEEP_VAE && options.from() == null) {
      throw new IllegalArgumentException(
          "keeping the VAE needs a model to fine-tune (--from): a new model has no VAE yet");
    }
    if (options.unetSteps() == KEEP_UNET && (options.from() == null || options.vaeSteps() < 0)) {
      throw new IllegalArgumentException(
          "keeping the UNet needs a model to fine-tune (--from) and trains its decoder: it cannot"
              + " keep the VAE as well");
    }
    if (options.from() == null) {
      ToyModelLayout.writeConfigs(staging, vocabulary, 1.0);
    } else {
      checkFineTunable(options.from());
      ToyModelLayout.copyConfigs(options.from(), staging);
      List<String> kept = new ArrayList<>();
      if (options.vaeSteps() == KEEP_VAE) kept.add("vae");
      if (options.unetSteps() == KEEP_UNET) kept.addAll(List.of("unet", "text_encoder"));
      for (String component : kept) {
        Files.copy(
            ToyModelLayout.weightsFile(options.from(), component),
            ToyModelLayout.weightsFile(staging, component),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (options.familyOdds() != null && !options.familyOdds().isEmpty()) {
      FamilyOdds.parse(options.familyOdds());
    }
    Files.writeString(
        staging.resolve("train-log.tsv"),
        "phase\tstep\tseconds\tlr\tloss\n",
        StandardCharsets.UTF_8);
    progress =
        TrainingProgress.start(
            options.from() == null ? "" : options.from().toAbsolutePath().toString(),
            options.familyOdds() == null ? "" : options.familyOdds(),
            options.shapeWeights(),
            options.contrastivePairs(),
            options.groundingWeight(),
            options.stripes(),
            options.seed(),
            options.minutes(),
            options.vaeSteps(),
            options.unetSteps(),
            options.command());
  }

  private static void checkFineTunable(Path from) throws IOException {
    for (String c : List.of("vae", "unet", "text_encoder")) {
      if (!Files.isRegularFile(ToyModelLayout.weightsFile(from, c))) {
        throw new IOException(
            from
                + ": not a toy model to fine-tune (no "
                + from.relativize(ToyModelLayout.weightsFile(from, c))
                + ")");
      }
    }
  }

  /**
   * The odds the run draws its examples with: as given (the sampler's own when empty), without the
   * families whose instructions the model's vocabulary cannot say one token per word (a model
   * trained before a family existed, fine-tuned).
   */
  static FamilyOdds drawnOdds(String given, ClipTokenizer tokenizer) {
    FamilyOdds odds = given.isEmpty() ? FamilyOdds.STANDARD : FamilyOdds.parse(given);
    Set<ToyFamily> unsayable = EnumSet.noneOf(ToyFamily.class);
    for (ToyInstruction i : ToyInstruction.all()) {
      if (tokenizer.tokens(i.text()).size() != i.text().trim().split("\\s+").length) {
        unsayable.add(i.family());
      }
    }
    return odds.without(unsayable);
  }

  private void openResumed(Path output) throws IOException {
    Path from = Files.isDirectory(partial(output).resolve(STATE)) ? partial(output) : output;
    if (!Files.isRegularFile(from.resolve(STATE).resolve("progress.json"))) {
      throw new IOException(
          output
              + ": no training state to resume ("
              + STATE
              + "/progress.json in it or in "
              + partial(output).getFileName()
              + ")");
    }
    TrainingProgress saved = TrainingProgress.read(from.resolve(STATE).resolve("progress.json"));
    if (options.vaeSteps() > 0 && options.vaeSteps() != saved.vaeSteps()) {
      if (saved.vaeFinished() || options.vaeSteps() < saved.vaeDone()) {
        throw new IOException(
            output
                + ": the VAE has "
                + saved.vaeDone()
                + " of "
                + saved.vaeSteps()
                + " steps done; --vae-steps "
                + options.vaeSteps()
                + " cannot change a finished or passed VAE phase");
      }
      saved = saved.withVae(options.vaeSteps(), saved.vaeDone(), saved.vaeScaling());
    }
    if (options.unetSteps() > 0 && options.unetSteps() != saved.unetSteps()) {
      if (options.unetSteps() < saved.unetDone()) {
        throw new IOException(
            output
                + ": the UNet has "
                + saved.unetDone()
                + " steps done; --unet-steps "
                + options.unetSteps()
                + " would undo them");
      }
      saved = saved.withUnet(options.unetSteps(), saved.unetDone(), saved.emaUpdates());
    }
    // a finished plan in OUTPUT.partial is a sitting that ended between the last step and
    // publishing: resuming
    // evaluates and publishes it
    if (saved.finished() && from.equals(output)) {
      throw new IOException(
          output
              + ": training is complete ("
              + saved.vaeSteps()
              + " vae + "
              + saved.unetSteps()
              + " unet steps); give --unet-steps N above "
              + saved.unetSteps()
              + " to train it further");
    }
    staging = partial(output);
    if (from.equals(output)) {
      // training a finished model further: work on a copy, so the model stays whole until the new
      // one is done
      TempFolder.deleteTree(staging.toFile());
      copyTree(output, staging);
    }
    progress = saved.withCommand(options.command());
    truncateLog(staging.resolve("train-log.tsv"));
  }

  /** The steps done of each phase, as "vae 120/2500, unet 0/800" ("kept" for a kept phase). */
  private String position() {
    return phasePosition("vae", progress.vaeDone(), progress.vaeSteps())
        + ", "
        + phasePosition("unet", progress.unetDone(), progress.unetSteps());
  }

  private static String phasePosition(String phase, int done, int steps) {
    return steps < 0 ? phase + " kept" : phase + " " + done + "/" + steps;
  }

  private static Path partial(Path output) {
    return output.resolveSibling(output.getFileName() + ".partial");
  }

  /**
   * Drops log lines of steps after the saved state (a sitting that died between saves logged them).
   */
  private void truncateLog(Path file) throws IOException {
    List<String> keep = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      boolean kept =
          keep.isEmpty()
              || (f[0].equals("vae") && Integer.parseInt(f[1]) < progress.vaeDone())
              || (f[0].equals("unet") && Integer.parseInt(f[1]) < progress.unetDone());
      if (kept) keep.add(line);
    }
    Files.write(file, keep, StandardCharsets.UTF_8);
  }

  private Result stopped() throws IOException {
    log.flush();
    out.printf(
        "[train-toy] stopped at %s after %.1f min; continue with: viaspark train-toy --resume %s%n",
        position(), seconds() / 60, options.output());
    return new Result(staging, false, progress.vaeSteps(), progress.unetSteps(), seconds(), null);
  }

  /**
   * @return false when the sitting stopped first
   */
  private boolean trainVae(NDManager manager) throws IOException {
    Path stateDir = staging.resolve(STATE);
    boolean resumed = progress.vaeDone() > 0;
    boolean fineTune = !progress.from().isEmpty();
    TensorSource init =
        resumed
            ? new SafetensorsSource(List.of(stateDir.resolve("vae.safetensors")))
            : fineTune
                ? new SafetensorsSource(
                    List.of(ToyModelLayout.weightsFile(Path.of(progress.from()), "vae")))
                : new RandomTensorSource(progress.seed());
    try (VaeTraining training =
        new VaeTraining(staging.resolve("vae/config.json"), init, manager, fineTune)) {
      if (resumed) restore(training.optimizer(), stateDir.resolve("vae-adam.safetensors"), manager);
      int f = 1 << (training.model().config().blockOutChannels().length - 1);
      Phase phase =
          new Phase(
              "vae",
              progress.vaeSteps(),
              progress.vaeDone(),
              (progress.unetSteps() == KEEP_UNET ? 1 : VAE_SHARE) * progress.budgetMinutes(),
              fineTune ? FINE_TUNE_LR : VAE_LR);
      for (int step = progress.vaeDone(); step < phase.steps(); step++) {
        try (NDManager m = manager.newSubManager()) {
          SplittableRandom rng = stepRandom(1, step);
          Iterator<ToyExample> examples = examples(0, (long) step * (VAE_BATCH / 2));
          List<VideoFrame> frames = new ArrayList<>();
          for (int i = 0; i < VAE_BATCH / 2; i++) {
            ToyExample ex = examples.next();
            frames.add(ex.source());
            frames.add(ex.target());
          }
          Shape noiseShape =
              new Shape(
                  VAE_BATCH,
                  training.model().config().latentChannels(),
                  ToyFrame.SIZE / f,
                  ToyFrame.SIZE / f);
          float lr = phase.lr(step);
          float loss = training.step(images(m, frames), gaussian(m, rng, noiseShape), lr);
          phase.record(step, lr, loss);
        }
        progress = progress.withVae(phase.plannedSteps(), step + 1, 0);
        if (stopNow() && step + 1 < phase.steps()) {
          saveVaeState(training);
          return false;
        }
        if (minutesSince(lastSave) >= SAVE_EVERY_MINUTES) saveVaeState(training);
      }
      ToyModelLayout.writeWeights(staging, "vae", training.parameters());
      // a frozen encoder keeps its latents' spread, so the UNet's scaling stays right
      double scaling =
          fineTune
              ? AutoencoderKL.load(
                      Path.of(progress.from()).resolve("vae"), manager, DataType.FLOAT32)
                  .scalingFactor()
              : scalingFactor(training.model(), manager);
      out.printf(
          "[train-toy] vae: %d steps; latent scaling factor %.4f; %s%n",
          phase.steps(),
          scaling,
          ToyEvaluation.vaeRoundTrip(training.model(), manager, EVALUATION_EXAMPLES).describe());
      progress = progress.withVae(phase.steps(), phase.steps(), scaling);
      saveVaeState(training);
      return true;
    }
  }

  private void saveVaeState(VaeTraining training) throws IOException {
    saveState(
        Map.of("vae.safetensors", training.parameters()),
        Map.of("vae-adam.safetensors", training.optimizer()));
  }

  /**
   * 1 / the standard deviation of the latents of 256 training frames, as Stable Diffusion's 0.18215
   * was chosen.
   */
  private double scalingFactor(AutoencoderKL vae, NDManager manager) {
    Iterator<ToyExample> examples = examples(1, 0);
    double sum = 0, sumSquares = 0;
    long n = 0;
    for (int b = 0; b < 16; b++) {
      try (NDManager m = manager.newSubManager()) {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < 16; i++) frames.add(examples.next().source());
        float[] z =
            TrainingStep.withoutGradients(() -> vae.encodeMean(images(m, frames)).toFloatArray());
        for (float v : z) {
          sum += v;
          sumSquares += (double) v * v;
        }
        n += z.length;
      }
    }
    double mean = sum / n;
    return 1 / Math.sqrt(sumSquares / n - mean * mean);
  }

  /**
   * @return false when the sitting stopped first
   */
  private boolean trainUnet(NDManager manager) throws IOException {
    Path stateDir = staging.resolve(STATE);
    boolean resumed = progress.unetDone() > 0;
    AutoencoderKL vae = AutoencoderKL.load(staging.resolve("vae"), manager, DataType.FLOAT32);
    ClipTokenizer tokenizer = ClipTokenizer.load(staging.resolve("tokenizer"));
    TrainingSchedule schedule =
        TrainingSchedule.read(staging.resolve("scheduler/scheduler_config.json"));
    int[] empty = tokenizer.encode("");
    TensorSource unetInit =
        resumed
            ? new SafetensorsSource(List.of(stateDir.resolve("unet.safetensors")))
            : initial("unet", progress.seed() + 1);
    TensorSource textInit =
        resumed
            ? new SafetensorsSource(List.of(stateDir.resolve("text_encoder.safetensors")))
            : initial("text_encoder", progress.seed() + 2);
    try (InstructPix2PixTraining training =
            new InstructPix2PixTraining(
                staging.resolve("unet/config.json"),
                unetInit,
                staging.resolve("text_encoder/config.json"),
                textInit,
                schedule,
                manager);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(EMA_DECAY)) {
      if (resumed) {
        restore(training.optimizer(), stateDir.resolve("unet-adam.safetensors"), manager);
        try (SafetensorsFile f = SafetensorsFile.open(stateDir.resolve("ema.safetensors"))) {
          ema.restore(f, progress.emaUpdates(), manager);
        }
      }
      Phase phase =
          new Phase(
              "unet",
              progress.unetSteps(),
              progress.unetDone(),
              progress.budgetMinutes() - seconds() / 60 - 1,
              progress.from().isEmpty() ? UNET_LR : FINE_TUNE_LR);
      for (int step = progress.unetDone(); step < phase.steps(); step++) {
        try (NDManager m = manager.newSubManager()) {
          SplittableRandom rng = stepRandom(2, step);
          Iterator<ToyExample> examples = examples(2, (long) step * UNET_BATCH);
          List<VideoFrame> sources = new ArrayList<>();
          List<VideoFrame> targets = new ArrayList<>();
          int[][] ids = new int[UNET_BATCH][];
          int[] timesteps = new int[UNET_BATCH];
          float[] keepImage = new float[UNET_BATCH];
          List<ToyExample> drawn = new ArrayList<>();
          boolean[] textKept = new boolean[UNET_BATCH];
          List<Integer> twins = new ArrayList<>();
          for (int i = 0; i < UNET_BATCH; i++) {
            ToyExample twin =
                progress.contrastivePairs() && i > 0 && textKept[i - 1] && !twins.contains(i - 1)
                    ? ToyDataset.twin(drawn.get(i - 1), rng).orElse(null)
                    : null;
            ToyExample ex = twin != null ? twin : examples.next();
            drawn.add(ex);
            sources.add(ex.source());
            targets.add(ex.target());
            double r = rng.nextDouble();
            boolean dropText = r < DROPOUT || (r >= 2 * DROPOUT && r < 3 * DROPOUT);
            boolean dropImage = r >= DROPOUT && r < 3 * DROPOUT;
            if (twin != null) {
              // only the words differ: same noise, timestep and image conditioning
              twins.add(i);
              dropText = false;
              dropImage = keepImage[i - 1] == 0f;
            }
            ids[i] = dropText ? empty : tokenizer.encode(ex.instruction().text());
            textKept[i] = !dropText;
            keepImage[i] = dropImage ? 0f : 1f;
            timesteps[i] = twin != null ? timesteps[i - 1] : rng.nextInt(schedule.trainSteps());
          }
          NDArray latents =
              TrainingStep.withoutGradients(
                  () -> vae.encodeMean(images(m, targets)).muli(vae.scalingFactor()));
          NDArray sourceLatents =
              TrainingStep.withoutGradients(() -> vae.encodeMean(images(m, sources)));
          NDArray imageLatents =
              sourceLatents.mul(OwnedArrays.of(m, keepImage).reshape(UNET_BATCH, 1, 1, 1));
          float lr = phase.lr(step);
          AttentionGrounding grounding = null;
          if (progress.groundingWeight() > 0) {
            boolean[] grounded = new boolean[UNET_BATCH];
            for (int i = 0; i < UNET_BATCH; i++) grounded[i] = textKept[i] && keepImage[i] > 0;
            grounding =
                AttentionGrounding.of(
                    m, drawn, ids, grounded, tokenizer, sourceLatents.mul(vae.scalingFactor()));
          }
          float loss =
              training.step(
                  latents,
                  imageLatents,
                  ids,
                  timesteps,
                  pairedNoise(gaussian(m, rng, latents.getShape()), twins),
                  shapeWeights(m, drawn, textKept, latents.getShape()),
                  grounding,
                  (float) progress.groundingWeight(),
                  lr);
          phase.record(step, lr, loss);
          if (grounding != null) phase.recordPart("grounding", step, training.lastGroundingLoss());
          TrainingStep.withoutGradients(
              () -> {
                ema.update(training.parameters());
                return null;
              });
        }
        progress = progress.withUnet(phase.plannedSteps(), step + 1, ema.updates());
        if (stopNow() && step + 1 < phase.steps()) {
          saveUnetState(training, ema);
          return false;
        }
        if (minutesSince(lastSave) >= SAVE_EVERY_MINUTES) saveUnetState(training, ema);
      }
      Map<String, NDArray> unet = new LinkedHashMap<>();
      Map<String, NDArray> text = new LinkedHashMap<>();
      ema.average()
          .forEach(
              (k, v) -> {
                if (k.startsWith("unet.")) unet.put(k.substring("unet.".length()), v);
                else text.put(k.substring("text_encoder.".length()), v);
              });
      ToyModelLayout.writeWeights(staging, "unet", unet);
      ToyModelLayout.writeWeights(staging, "text_encoder", text);
      saveUnetState(training, ema);
      return true;
    }
  }

  /** A component's starting weights: the fine-tuned model's, or random. */
  private TensorSource initial(String component, long seed) {
    return progress.from().isEmpty()
        ? new RandomTensorSource(seed)
        : new SafetensorsSource(
            List.of(ToyModelLayout.weightsFile(Path.of(progress.from()), component)));
  }

  private void saveUnetState(InstructPix2PixTraining training, ExponentialMovingAverage ema)
      throws IOException {
    saveState(
        Map.of(
            "unet.safetensors",
            training.unetParameters(),
            "text_encoder.safetensors",
            training.textEncoderParameters(),
            "ema.safetensors",
            ema.average()),
        Map.of("unet-adam.safetensors", training.optimizer()));
  }

  /**
   * Writes {@code training-state/} anew, atomically as a whole: the given files into a fresh
   * folder, the other files of the previous state carried over (the finished VAE's, during the UNet
   * phase), then swapped in.
   */
  private void saveState(Map<String, Map<String, NDArray>> weights, Map<String, Adam> optimizers)
      throws IOException {
    Path state = staging.resolve(STATE);
    Path next = staging.resolve(STATE + ".next");
    Path old = staging.resolve(STATE + ".old");
    TempFolder.deleteTree(next.toFile());
    Files.createDirectories(next);
    for (Map.Entry<String, Map<String, NDArray>> w : weights.entrySet()) {
      SafetensorsWriter writer = new SafetensorsWriter();
      for (Map.Entry<String, NDArray> p : w.getValue().entrySet()) {
        writer.addFloats(
            p.getKey(), "F32", p.getValue().getShape().getShape(), p.getValue().toFloatArray());
      }
      writer.write(next.resolve(w.getKey()));
    }
    for (Map.Entry<String, Adam> o : optimizers.entrySet()) {
      SafetensorsWriter writer = new SafetensorsWriter();
      o.getValue().save(writer);
      writer.write(next.resolve(o.getKey()));
    }
    if (Files.isDirectory(state)) {
      try (var files = Files.list(state)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path target = next.resolve(f.getFileName());
          String name = f.getFileName().toString();
          // a finished VAE is in vae/ and never trained again: its training state is not carried
          boolean finishedVae = progress.vaeFinished() && name.startsWith("vae");
          if (!Files.exists(target) && !name.equals("progress.json") && !finishedVae)
            Files.copy(f, target);
        }
      }
    }
    progress = progress.withSeconds(seconds());
    progress.write(next.resolve("progress.json"));
    log.flush();
    TempFolder.deleteTree(old.toFile());
    if (Files.exists(state)) Files.move(state, old, StandardCopyOption.ATOMIC_MOVE);
    Files.move(next, state, StandardCopyOption.ATOMIC_MOVE);
    TempFolder.deleteTree(old.toFile());
    lastSave = System.nanoTime();
  }

  private static void restore(Adam adam, Path file, NDManager manager) {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      adam.restore(f, manager);
    }
  }

  /**
   * Moves the finished staging folder into place (replacing the model it was trained further from,
   * if any).
   */
  private void publish(Path output) throws IOException {
    Path old = output.resolveSibling(output.getFileName() + ".old");
    TempFolder.deleteTree(old.toFile());
    if (Files.exists(output)) Files.move(output, old, StandardCopyOption.ATOMIC_MOVE);
    Files.move(staging, output, StandardCopyOption.ATOMIC_MOVE);
    TempFolder.deleteTree(old.toFile());
  }

  /** Counts a step of this sitting; whether the sitting should end after it. */
  private boolean stopNow() {
    sittingSteps++;
    return (options.stopAfterSteps() > 0 && sittingSteps >= options.stopAfterSteps())
        || (options.stopAfterMinutes() > 0
            && (System.nanoTime() - start) / 60e9 >= options.stopAfterMinutes());
  }

  private static double minutesSince(long nanos) {
    return (System.nanoTime() - nanos) / 60e9;
  }

  /**
   * A phase's step count (given, or calibrated from its first steps against its time budget), rate
   * and log.
   */
  private final class Phase {
    private final String name;
    private final double minutes;
    private final float peakLr;
    private int steps;
    private long calibrationStart;
    private int calibrationFrom;
    private double smoothed = Double.NaN;
    private int skippedInARow;
    private long lastReport = System.nanoTime();

    Phase(String name, int steps, int done, double minutes, float peakLr) {
      this.name = name;
      this.minutes = minutes;
      this.peakLr = peakLr;
      this.steps = steps > 0 ? steps : Integer.MAX_VALUE;
      if (steps <= 0 && minutes <= 0)
        throw new IllegalArgumentException(name + ": no time left in the budget");
      this.calibrationStart = steps > 0 ? -1 : System.nanoTime();
      this.calibrationFrom = done;
    }

    int steps() {
      return steps;
    }

    /** The step count, 0 while it is still being calibrated. */
    int plannedSteps() {
      return steps == Integer.MAX_VALUE ? 0 : steps;
    }

    /** Linear warm-up, then a cosine down to 5% of the peak. */
    float lr(int step) {
      int warm =
          steps == Integer.MAX_VALUE
              ? WARMUP_STEPS
              : Math.min(WARMUP_STEPS, Math.max(1, steps / 10));
      if (step < warm) return peakLr * (step + 1) / warm;
      double progress = (step - warm) / (double) Math.max(1, steps - warm);
      return (float) (peakLr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }

    /** A part of the step's loss, logged as its own curve ("unet-grounding"). */
    void recordPart(String part, int step, float value) throws IOException {
      if (!Float.isFinite(value)) return;
      log.write(
          String.format(
              Locale.ROOT, "%s-%s\t%d\t%.2f\t\t%.6g%n", name, part, step, seconds(), value));
    }

    void record(int step, float lr, float loss) throws IOException {
      if (!Float.isFinite(loss)) {
        // the step was skipped; a run of them means training diverged
        if (++skippedInARow > MAX_SKIPPED_IN_A_ROW) {
          throw new IllegalStateException(
              name + " loss is " + loss + " for " + skippedInARow + " steps up to " + step);
        }
        out.printf("[train-toy] %s step %d: loss %s, skipped%n", name, step, loss);
        return;
      }
      skippedInARow = 0;
      log.write(
          String.format(
              Locale.ROOT, "%s\t%d\t%.2f\t%.6g\t%.6g%n", name, step, seconds(), lr, loss));
      smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
      if (calibrationStart > 0 && step == calibrationFrom + CALIBRATION_STEPS) {
        double perStep = (System.nanoTime() - calibrationStart) / 1e9 / (CALIBRATION_STEPS + 1);
        steps = Math.max(CALIBRATION_STEPS + 1, (int) (minutes * 60 / perStep));
        calibrationStart = -1;
        out.printf(
            "[train-toy] %s: %.2f s per step, %d steps in %.1f min%n",
            name, perStep, steps, minutes);
      }
      if (System.nanoTime() - lastReport > 30e9 || step == steps - 1) {
        lastReport = System.nanoTime();
        log.flush();
        out.printf(
            "[train-toy] %s step %d/%d, loss %.4f (smoothed), lr %.2g, %.1f min%n",
            name, step + 1, steps, smoothed, lr, seconds() / 60);
      }
    }
  }

  /** A phase's step's own generator: the same numbers however the run was split into sittings. */
  private SplittableRandom stepRandom(int phase, int step) {
    return new SplittableRandom((progress.seed() * 31 + phase) * 0x9E3779B97F4A7C15L + step);
  }

  /**
   * The TRAIN examples of a stream from its {@code skip}-th on (seeds are skipped, not rendered).
   */
  private Iterator<ToyExample> examples(int stream, long skip) {
    return ToySplit.TRAIN
        .seeds(progress.seed() * 1_000_000_000L + stream * 100_000_000L)
        .skip(skip)
        .mapToObj(s -> ToyDataset.example(s, ToyFrame.SIZE, odds, progress.stripes()))
        .iterator();
  }

  /** The noise with each twin's row replaced by the row of the example it is the twin of. */
  private static NDArray pairedNoise(NDArray noise, List<Integer> twins) {
    for (int i : twins) noise.set(new NDIndex(i), noise.get(i - 1));
    return noise;
  }

  /**
   * The batch's loss weights per latent pixel, or null when the run gives shapes no extra weight.
   * An example without its instruction cannot know which shape is named: it weighs 1.
   */
  private NDArray shapeWeights(
      NDManager m, List<ToyExample> batch, boolean[] textKept, Shape latentShape) {
    ShapeWeights weights = progress.shapeWeights();
    if (!weights.any()) return null;
    int h = (int) latentShape.get(2), w = (int) latentShape.get(3);
    float[] all = new float[batch.size() * h * w];
    for (int i = 0; i < batch.size(); i++) {
      float[] map = (textKept[i] ? weights : ShapeWeights.NONE).of(batch.get(i), h, w);
      System.arraycopy(map, 0, all, i * h * w, h * w);
    }
    return OwnedArrays.of(m, all, new Shape(batch.size(), 1, h, w));
  }

  private static NDArray images(NDManager m, List<VideoFrame> frames) {
    NDList list = new NDList();
    for (VideoFrame f : frames) list.add(ImageTensors.fromRgb(m, f.rgb(), f.width(), f.height()));
    return NDArrays.concat(list, 0);
  }

  private static NDArray gaussian(NDManager m, SplittableRandom rng, Shape shape) {
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
    return OwnedArrays.of(m, v, shape);
  }

  private void writeSummary(ToyEvaluation.Summary s) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("command", progress.commands().get(0));
    if (!progress.from().isEmpty()) n.put("fine_tuned_from", progress.from());
    ArrayNode sittings = n.putArray("commands");
    progress.commands().forEach(sittings::add);
    n.put("seed", progress.seed())
        .put("budget_minutes", progress.budgetMinutes())
        .put("vae_steps", Math.max(0, progress.vaeSteps()))
        .put("vae_kept", progress.vaeSteps() == KEEP_VAE)
        .put("unet_steps", Math.max(0, progress.unetSteps()))
        .put("unet_kept", progress.unetSteps() == KEEP_UNET)
        .put("vae_batch", VAE_BATCH)
        .put("unet_batch", UNET_BATCH)
        .put("ema_decay", EMA_DECAY)
        .put("family_odds", odds.toString())
        .put("kept_shape_weight", progress.shapeWeights().kept())
        .put("named_shape_weight", progress.shapeWeights().named())
        .put("contrastive_pairs", progress.contrastivePairs())
        .put("grounding_weight", progress.groundingWeight())
        .put("stripes", progress.stripes().word())
        .put("minutes", seconds() / 60)
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("java", System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    ObjectNode eval = n.putObject("held_out");
    eval.put("examples", s.examples())
        .put("correct", s.correct())
        .put("mean_colour_distance", s.meanColourDistance())
        .put("mean_outside_change", s.meanOutsideChange())
        .put("steps", ToyEvaluation.STEPS)
        .put("guidance_scale", ToyEvaluation.GUIDANCE)
        .put("image_guidance_scale", ToyEvaluation.IMAGE_GUIDANCE);
    Files.writeString(
        staging.resolve("train.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n",
        StandardCharsets.UTF_8);
  }

  /** Seconds of training over all sittings. */
  private double seconds() {
    return previousSeconds + (System.nanoTime() - start) / 1e9;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }
}
