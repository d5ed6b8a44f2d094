package dev.viaspark.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.GuidanceBranch;
import dev.viaspark.diffusion.attention.LoraAdapter;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import dev.viaspark.diffusion.schedulers.TrainingSchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tunes low-rank adapters ({@link LoraAdapter}) on a loaded InstructPix2Pix pipeline with the
 * model's own training loss (Brooks et al., section 3.2): the UNet, its weights frozen, predicts
 * the noise added to an edited image's latents given the source image's latents and the
 * instruction; only the adapters learn. This is the optimisation of Via's test-time editing
 * adaptation, which tunes on augmented copies of one edited frame so that every frame of the video
 * is edited the way that frame was.
 *
 * <p>Deterministic on a CPU: the adapters' initial values, the timesteps and the noise come from
 * generators seeded by {@link Settings#seed()}, and the examples from the caller.
 */
public final class LoraTuning {
  private LoraTuning() {}

  /**
   * @param steps optimisation steps
   * @param rank the adapters' rank
   * @param learningRate Adam's, constant
   * @param batch examples per step
   * @param seed of the adapters' initial values, timesteps and noise
   */
  public record Settings(int steps, int rank, float learningRate, int batch, long seed) {
    public Settings {
      if (steps < 1 || rank < 1 || batch < 1 || !(learningRate > 0)) {
        throw new IllegalArgumentException(
            "LoRA tuning needs steps, rank and batch of 1 or more and a positive learning rate: "
                + this);
      }
    }
  }

  /** The training pairs of one step. */
  public interface Examples {
    /**
     * {@code batch} pairs for step {@code step}: source images and their edited versions, each
     * [batch, 3, h, w] in [-1, 1], on {@code manager}.
     */
    NDList draw(NDManager manager, int step, int batch);
  }

  /** Called after each step with the loss before its update. */
  public interface Progress {
    void step(int step, float loss);
  }

  /**
   * Tunes a fresh adapter, its arrays on {@code manager}; returns it frozen (it adds no projection
   * it did not tune).
   */
  public static LoraAdapter tune(
      InstructPix2PixPipeline pipe,
      String prompt,
      Examples examples,
      Settings settings,
      NDManager manager,
      Progress progress) {
    TrainingSchedule schedule = schedule(pipe);
    LoraAdapter adapter = LoraAdapter.fresh(settings.rank(), settings.seed(), manager);
    SplittableRandom rng = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + 1);
    try (Adam adam = Adam.defaults()) {
      for (int step = 0; step < settings.steps(); step++) {
        try (NDManager m = manager.newSubManager()) {
          NDList pair = examples.draw(m, step, settings.batch());
          Batch b = batch(pipe, prompt, pair, schedule, rng, m);
          if (step == 0) {
            // the first forward pass creates the adapters, which the optimizer must know from the
            // start
            TrainingStep.withoutGradients(() -> b.predict(pipe, adapter));
          }
          float loss =
              TrainingStep.run(
                  adapter.parameters(),
                  adam,
                  settings.learningRate(),
                  1f,
                  () -> b.predict(pipe, adapter).sub(b.noise).square().mean());
          progress.step(step, loss);
        }
      }
    }
    return adapter.frozen();
  }

  /**
   * The tuning loss of {@code adapter} (null: none) on one batch of pairs, its timesteps and noise
   * drawn from {@code seed}: the same batch for every adapter, to compare them.
   */
  public static float loss(
      InstructPix2PixPipeline pipe,
      String prompt,
      NDList pairs,
      LoraAdapter adapter,
      long seed,
      NDManager manager) {
    TrainingSchedule schedule = schedule(pipe);
    try (NDManager m = manager.newSubManager()) {
      Batch b = batch(pipe, prompt, pairs, schedule, new SplittableRandom(seed), m);
      return TrainingStep.withoutGradients(
          () -> b.predict(pipe, adapter).sub(b.noise).square().mean().getFloat());
    }
  }

  private static TrainingSchedule schedule(InstructPix2PixPipeline pipe) {
    return TrainingSchedule.read(
        pipe.folder().resolve(Path.of("scheduler", "scheduler_config.json")));
  }

  /** What one step feeds the UNet: noisy edited latents beside the source latents. */
  private record Batch(NDArray input, NDArray timesteps, NDArray context, NDArray noise) {
    NDArray predict(InstructPix2PixPipeline pipe, LoraAdapter adapter) {
      AttentionContext ctx =
          new AttentionContext(
              adapter == null ? AttentionHook.NONE : adapter,
              0,
              0f,
              List.of(GuidanceBranch.TEXT_IMAGE),
              (int) input.getShape().get(0),
              0);
      return pipe.unet().forward(input, timesteps, context, ctx);
    }
  }

  private static Batch batch(
      InstructPix2PixPipeline pipe,
      String prompt,
      NDList pair,
      TrainingSchedule schedule,
      SplittableRandom rng,
      NDManager m) {
    NDArray sources = pair.get(0), edited = pair.get(1);
    int n = (int) sources.getShape().get(0);
    return TrainingStep.withoutGradients(
        () -> {
          NDArray latents = pipe.vae().encodeMean(edited).mul(pipe.vae().scalingFactor());
          NDArray imageLatents = pipe.vae().encodeMean(sources);
          float[] signal = new float[n], share = new float[n], t = new float[n];
          for (int i = 0; i < n; i++) {
            int step = rng.nextInt(schedule.trainSteps());
            float a = schedule.alphaCumprod(step);
            signal[i] = (float) Math.sqrt(a);
            share[i] = (float) Math.sqrt(1 - a);
            t[i] = step;
          }
          float[] z = new float[(int) latents.getShape().size()];
          for (int i = 0; i < z.length; i++) z[i] = (float) rng.nextGaussian();
          NDArray noise = OwnedArrays.of(m, z, latents.getShape());
          NDArray noisy =
              latents
                  .mul(OwnedArrays.of(m, signal).reshape(n, 1, 1, 1))
                  .add(noise.mul(OwnedArrays.of(m, share).reshape(n, 1, 1, 1)));
          NDArray input = NDArrays.concat(new NDList(noisy, imageLatents), 1);
          NDArray text = pipe.encodePrompts(m, List.of(prompt));
          NDArray context = text.repeat(0, n);
          return new Batch(input, OwnedArrays.of(m, t), context, noise);
        });
  }
}
