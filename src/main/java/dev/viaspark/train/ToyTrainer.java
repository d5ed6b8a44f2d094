package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.diffusion.clip.GrammarBpe;
import dev.viaspark.diffusion.pipeline.ImageTensors;
import dev.viaspark.diffusion.schedulers.TrainingSchedule;
import dev.viaspark.diffusion.vae.AutoencoderKL;
import dev.viaspark.diffusion.weights.RandomTensorSource;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.storage.Errors;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.toy.ToySplit;
import dev.viaspark.video.VideoFrame;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains the toy InstructPix2Pix model ({@link ToyModelLayout}) from scratch on toy examples: the VAE first, then
 * the UNet and text encoder against the frozen VAE, each for a share of a time budget (or a given number of steps),
 * and writes the diffusers folder with its training log ({@code train-log.tsv}, {@code loss.png}, {@code train.json}).
 *
 * <p>Given the same seed and step counts, training is deterministic: examples come from the seed's TRAIN stream,
 * noise and dropout from seeded generators, and the learning rate follows the step, not the clock. With a time
 * budget the step counts are fixed after a short calibration and logged, so a run can be repeated exactly with
 * {@code --vae-steps} and {@code --unet-steps}.
 */
public final class ToyTrainer {
  static final int VAE_BATCH = 16;
  static final int UNET_BATCH = 32;
  static final float VAE_LR = 1e-3f;
  static final float UNET_LR = 1e-3f;
  /** Share of each phase spent warming the learning rate up; the rest decays it on a cosine to 5%. */
  static final double WARMUP = 0.03;
  /** IP2P's conditioning dropout: this share of examples loses its instruction, its image, or both (each). */
  static final double DROPOUT = 0.05;
  static final double VAE_SHARE = 0.25;
  static final int CALIBRATION_STEPS = 8;
  static final int EVALUATION_EXAMPLES = 48;
  static final int MAX_SKIPPED_IN_A_ROW = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param minutes the time budget of both phases (calibrated into step counts); ignored for a phase whose steps
   *     are given
   * @param vaeSteps steps of the VAE phase, 0 to derive them from the budget
   * @param unetSteps steps of the UNet phase, 0 to derive them from the budget
   * @param command how the run was started, for the log
   */
  public record Options(Path output, double minutes, long seed, int vaeSteps, int unetSteps, String command) {}

  /** What a run did: steps per phase, its seconds, and the held-out accuracy of what it wrote. */
  public record Result(Path checkpoint, int vaeSteps, int unetSteps, double seconds, ToyEvaluation.Summary heldOut) {}

  private final Options options;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private BufferedWriter log;
  private final LossChart chart = new LossChart();

  public ToyTrainer(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Result run() throws IOException {
    Path output = options.output().toAbsolutePath();
    if (Files.exists(output)) throw new IOException(output + ": already exists; choose a new --output folder");
    Path staging = output.resolveSibling(output.getFileName() + ".partial");
    Errors.deleteQuietly(staging.toFile());
    GrammarBpe vocabulary = ToyModelLayout.vocabulary();
    ToyModelLayout.writeConfigs(staging, vocabulary, 1.0);
    int vaeSteps, unetSteps;
    ToyEvaluation.Summary summary;
    try (BufferedWriter w = Files.newBufferedWriter(staging.resolve("train-log.tsv"), StandardCharsets.UTF_8)) {
      log = w;
      w.write("phase\tstep\tseconds\tlr\tloss\n");
      out.printf("[train-toy] seed %d, budget %.1f min, %d cores; vocabulary %d tokens (%d merges)%n",
          options.seed(), options.minutes(), Runtime.getRuntime().availableProcessors(), vocabulary.vocabSize(),
          vocabulary.mergeCount());
      double vaeScaling;
      try (NDManager manager = NDManager.newBaseManager()) {
        VaePhase vae = trainVae(staging, manager);
        vaeSteps = vae.steps;
        vaeScaling = vae.scalingFactor;
      }
      ToyModelLayout.writeConfigs(staging, vocabulary, vaeScaling);
      try (NDManager manager = NDManager.newBaseManager()) {
        unetSteps = trainUnet(staging, manager);
      }
      out.println("[train-toy] evaluating on held-out examples...");
      try (InstructPix2PixEditor editor = ToyEvaluation.editor(staging)) {
        summary = ToyEvaluation.heldOut(editor, EVALUATION_EXAMPLES);
      }
      out.println("[train-toy] " + summary.describe());
    }
    writeSummary(staging, vaeSteps, unetSteps, summary);
    chart.write(staging.resolve("loss.png"));
    Files.move(staging, output, StandardCopyOption.ATOMIC_MOVE);
    out.printf("[train-toy] wrote %s in %.1f min%n", output, seconds() / 60);
    return new Result(output, vaeSteps, unetSteps, seconds(), summary);
  }

  private record VaePhase(int steps, double scalingFactor) {}

  private VaePhase trainVae(Path dir, NDManager manager) throws IOException {
    Iterator<ToyExample> examples = examples(0);
    SplittableRandom rng = new SplittableRandom(options.seed() * 31 + 1);
    try (VaeTraining training = new VaeTraining(dir.resolve("vae/config.json"),
        new RandomTensorSource(options.seed()), manager)) {
      int f = 1 << (training.model().config().blockOutChannels().length - 1);
      Shape noiseShape = new Shape(VAE_BATCH, ToyModelLayout.LATENT_CHANNELS, ToyFrame.SIZE / f, ToyFrame.SIZE / f);
      Phase phase = new Phase("vae", options.vaeSteps(), VAE_SHARE * options.minutes(), VAE_LR);
      for (int step = 0; step < phase.steps(); step++) {
        try (NDManager m = manager.newSubManager()) {
          List<VideoFrame> frames = new ArrayList<>();
          for (int i = 0; i < VAE_BATCH / 2; i++) {
            ToyExample ex = examples.next();
            frames.add(ex.source());
            frames.add(ex.target());
          }
          float lr = phase.lr(step);
          float loss = training.step(images(m, frames), gaussian(m, rng, noiseShape), lr);
          phase.record(step, lr, loss);
        }
      }
      ToyModelLayout.writeWeights(dir, "vae", training.parameters());
      double scaling = scalingFactor(training.model(), manager);
      out.printf("[train-toy] vae: %d steps; latent scaling factor %.4f%n", phase.steps(), scaling);
      return new VaePhase(phase.steps(), scaling);
    }
  }

  /** 1 / the standard deviation of the latents of 256 training frames, as Stable Diffusion's 0.18215 was chosen. */
  private double scalingFactor(AutoencoderKL vae, NDManager manager) {
    Iterator<ToyExample> examples = examples(1);
    double sum = 0, sumSquares = 0;
    long n = 0;
    for (int b = 0; b < 16; b++) {
      try (NDManager m = manager.newSubManager()) {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < 16; i++) frames.add(examples.next().source());
        float[] z = TrainingStep.withoutGradients(() -> vae.encodeMean(images(m, frames)).toFloatArray());
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

  private int trainUnet(Path dir, NDManager manager) throws IOException {
    Iterator<ToyExample> examples = examples(2);
    SplittableRandom rng = new SplittableRandom(options.seed() * 31 + 2);
    AutoencoderKL vae = AutoencoderKL.load(dir.resolve("vae"), manager, ai.djl.ndarray.types.DataType.FLOAT32);
    ClipTokenizer tokenizer = ClipTokenizer.load(dir.resolve("tokenizer"));
    TrainingSchedule schedule = TrainingSchedule.read(dir.resolve("scheduler/scheduler_config.json"));
    int[] empty = tokenizer.encode("");
    try (InstructPix2PixTraining training = new InstructPix2PixTraining(dir.resolve("unet/config.json"),
        new RandomTensorSource(options.seed() + 1), dir.resolve("text_encoder/config.json"),
        new RandomTensorSource(options.seed() + 2), schedule, manager)) {
      Phase phase = new Phase("unet", options.unetSteps(), options.minutes() - seconds() / 60 - 1, UNET_LR);
      for (int step = 0; step < phase.steps(); step++) {
        try (NDManager m = manager.newSubManager()) {
          List<VideoFrame> sources = new ArrayList<>();
          List<VideoFrame> targets = new ArrayList<>();
          int[][] ids = new int[UNET_BATCH][];
          int[] timesteps = new int[UNET_BATCH];
          float[] keepImage = new float[UNET_BATCH];
          for (int i = 0; i < UNET_BATCH; i++) {
            ToyExample ex = examples.next();
            sources.add(ex.source());
            targets.add(ex.target());
            double r = rng.nextDouble();
            boolean dropText = r < DROPOUT || (r >= 2 * DROPOUT && r < 3 * DROPOUT);
            boolean dropImage = r >= DROPOUT && r < 3 * DROPOUT;
            ids[i] = dropText ? empty : tokenizer.encode(ex.instruction().text());
            keepImage[i] = dropImage ? 0f : 1f;
            timesteps[i] = rng.nextInt(schedule.trainSteps());
          }
          NDArray latents = TrainingStep.withoutGradients(
              () -> vae.encodeMean(images(m, targets)).muli(vae.scalingFactor()));
          NDArray imageLatents = TrainingStep.withoutGradients(() -> vae.encodeMean(images(m, sources))
              .muli(m.create(keepImage).reshape(UNET_BATCH, 1, 1, 1)));
          float lr = phase.lr(step);
          float loss = training.step(latents, imageLatents, ids, timesteps, gaussian(m, rng, latents.getShape()), lr);
          phase.record(step, lr, loss);
        }
      }
      ToyModelLayout.writeWeights(dir, "unet", training.unetParameters());
      ToyModelLayout.writeWeights(dir, "text_encoder", training.textEncoderParameters());
      return phase.steps();
    }
  }

  /** A phase's step count (given, or calibrated from its first steps against its time budget), rate and log. */
  private final class Phase {
    private final String name;
    private final double minutes;
    private final float peakLr;
    private int steps;
    private long calibrationStart;
    private double smoothed = Double.NaN;
    private int skippedInARow;
    private long lastReport = System.nanoTime();

    Phase(String name, int steps, double minutes, float peakLr) {
      this.name = name;
      this.minutes = minutes;
      this.peakLr = peakLr;
      this.steps = steps > 0 ? steps : CALIBRATION_STEPS + 1;
      if (steps <= 0 && minutes <= 0) throw new IllegalArgumentException(name + ": no time left in the budget");
      this.calibrationStart = steps > 0 ? -1 : System.nanoTime();
    }

    int steps() {
      return steps;
    }

    /** Linear warm-up, then a cosine down to 5% of the peak. */
    float lr(int step) {
      double warm = Math.max(1, WARMUP * steps);
      if (step < warm) return (float) (peakLr * (step + 1) / warm);
      double progress = (step - warm) / Math.max(1, steps - warm);
      return (float) (peakLr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }

    void record(int step, float lr, float loss) throws IOException {
      if (!Float.isFinite(loss)) {
        // the step was skipped; a run of them means training diverged
        if (++skippedInARow > MAX_SKIPPED_IN_A_ROW) {
          throw new IllegalStateException(name + " loss is " + loss + " for " + skippedInARow + " steps up to " + step);
        }
        out.printf("[train-toy] %s step %d: loss %s, skipped%n", name, step, loss);
        return;
      }
      skippedInARow = 0;
      log.write(String.format(java.util.Locale.ROOT, "%s\t%d\t%.2f\t%.6g\t%.6g%n", name, step, seconds(), lr, loss));
      chart.add(name, loss);
      smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
      if (calibrationStart > 0 && step == CALIBRATION_STEPS) {
        double perStep = (System.nanoTime() - calibrationStart) / 1e9 / (CALIBRATION_STEPS + 1);
        steps = Math.max(CALIBRATION_STEPS + 1, (int) (minutes * 60 / perStep));
        out.printf("[train-toy] %s: %.2f s per step, %d steps in %.1f min%n", name, perStep, steps, minutes);
      }
      if (System.nanoTime() - lastReport > 30e9 || step == steps - 1) {
        lastReport = System.nanoTime();
        log.flush();
        out.printf("[train-toy] %s step %d/%d, loss %.4f (smoothed), lr %.2g, %.1f min%n", name, step + 1, steps,
            smoothed, lr, seconds() / 60);
      }
    }
  }

  private Iterator<ToyExample> examples(int stream) {
    return ToyDataset.examples(ToySplit.TRAIN, options.seed() * 1_000_000_000L + stream * 100_000_000L, ToyFrame.SIZE)
        .iterator();
  }

  private static NDArray images(NDManager m, List<VideoFrame> frames) {
    NDList list = new NDList();
    for (VideoFrame f : frames) list.add(ImageTensors.fromRgb(m, f.rgb(), f.width(), f.height()));
    return NDArrays.concat(list, 0);
  }

  private static NDArray gaussian(NDManager m, SplittableRandom rng, Shape shape) {
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
    return m.create(v, shape);
  }

  private void writeSummary(Path dir, int vaeSteps, int unetSteps, ToyEvaluation.Summary s) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("command", options.command()).put("seed", options.seed()).put("budget_minutes", options.minutes())
        .put("vae_steps", vaeSteps).put("unet_steps", unetSteps).put("vae_batch", VAE_BATCH)
        .put("unet_batch", UNET_BATCH).put("minutes", seconds() / 60)
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("java", System.getProperty("java.version")).put("os", System.getProperty("os.name") + " "
            + System.getProperty("os.arch"));
    ObjectNode eval = n.putObject("held_out");
    eval.put("examples", s.examples()).put("correct", s.correct()).put("mean_colour_distance", s.meanColourDistance())
        .put("mean_outside_change", s.meanOutsideChange()).put("steps", ToyEvaluation.STEPS)
        .put("guidance_scale", ToyEvaluation.GUIDANCE).put("image_guidance_scale", ToyEvaluation.IMAGE_GUIDANCE);
    Files.writeString(dir.resolve("train.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n",
        StandardCharsets.UTF_8);
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
