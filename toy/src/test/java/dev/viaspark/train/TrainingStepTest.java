package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.clip.ClipTextConfig;
import dev.viaspark.diffusion.clip.ClipTextModel;
import dev.viaspark.diffusion.train.Adam;
import dev.viaspark.diffusion.train.TrainingStep;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.unet.UNetConfig;
import dev.viaspark.diffusion.vae.AutoencoderKL;
import dev.viaspark.diffusion.vae.VaeConfig;
import dev.viaspark.diffusion.weights.ComponentFiles;
import dev.viaspark.diffusion.weights.SafetensorsSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The engine's model classes train with DJL autograd: a few Adam steps on the tiny checkpoint lower
 * a fixed-batch loss, and every parameter that can receive a gradient gets one.
 */
class TrainingStepTest {
  /** The engine module's tiny checkpoint (its test resources), or another of the same layout. */
  static final Path CHECKPOINT =
      Path.of(System.getProperty("viaspark.testvectors", "../src/test/resources/testvectors"))
          .resolve("checkpoint");

  static TrainableTensors trainable(String component) {
    return new TrainableTensors(
        new SafetensorsSource(ComponentFiles.find(CHECKPOINT.resolve(component))));
  }

  /** The checkpoint's text encoder, built to train. */
  static ClipTextModel clip(TrainableTensors tt, NDManager m) {
    return TrainingStep.building(
        () ->
            new ClipTextModel(
                ClipTextConfig.read(CHECKPOINT.resolve("text_encoder/config.json")),
                tt,
                m,
                DataType.FLOAT32));
  }

  @Test
  void eachStepUsesOnlyItsOwnGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1, 2, 3});
      w.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("w", w);
      try (Adam adam = Adam.defaults()) {
        // Adam's first step moves each weight by lr against the sign of its gradient (2w); the
        // second step's
        // gradient must be 2w again, not the accumulated 4w (which would move 1, 2, 3 differently)
        TrainingStep.run(params, adam, 0.1f, () -> w.mul(w).sum());
        Assertions.assertArrayEquals(new float[] {0.9f, 1.9f, 2.9f}, w.toFloatArray(), 1e-5f);
        TrainingStep.run(params, adam, 0.1f, () -> w.mul(w).sum());
        NDArray g = w.getGradient();
        Assertions.assertArrayEquals(new float[] {0, 0, 0}, g.toFloatArray(), 0f, "reset");
        Assertions.assertArrayEquals(new float[] {0.8f, 1.8f, 2.8f}, w.toFloatArray(), 1e-3f);
      }
    }
  }

  @Test
  void clipsLargeGradientsAndSkipsStepsThatAreNotFinite() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {3, 4});
      w.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("w", w);
      try (Adam adam = Adam.defaults()) {
        // gradient 2w = (6, 8), norm 10, clipped to norm 1: Adam's first step still moves by lr per
        // weight
        TrainingStep.run(params, adam, 0.1f, 1f, () -> w.mul(w).sum());
        Assertions.assertArrayEquals(new float[] {2.9f, 3.9f}, w.toFloatArray(), 1e-5f);
        float nan = TrainingStep.run(params, adam, 0.1f, 1f, () -> w.mul(Float.NaN).sum());
        assertTrue(Float.isNaN(nan));
        Assertions.assertArrayEquals(new float[] {2.9f, 3.9f}, w.toFloatArray(), 0f, "skipped");
        Assertions.assertArrayEquals(new float[] {0, 0}, w.getGradient().toFloatArray(), 0f);
        TrainingStep.run(params, adam, 0.1f, 1f, () -> w.mul(w).sum());
        assertTrue(
            w.toFloatArray()[0] < 2.9f && Float.isFinite(w.toFloatArray()[0]),
            "trains on after the skip");
      }
    }
  }

  @Test
  void aStepWhoseGradientsAloneAreNotFiniteIsSkippedVisibly() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {0, 4});
      w.setRequiresGradient(true);
      try (Adam adam = Adam.defaults()) {
        // sqrt|w| has a finite value and an infinite gradient at 0, as a bad backward kernel gives
        float loss = TrainingStep.run(Map.of("w", w), adam, 0.1f, 1f, () -> w.abs().sqrt().sum());
        assertTrue(Float.isNaN(loss), "the caller is told the step was skipped");
        Assertions.assertArrayEquals(new float[] {0, 4}, w.toFloatArray(), 0f);
        Assertions.assertArrayEquals(new float[] {0, 0}, w.getGradient().toFloatArray(), 0f);
      }
    }
  }

  @Test
  void vaeReconstructionLossFalls() {
    try (NDManager m = NDManager.newBaseManager();
        TrainableTensors t = trainable("vae")) {
      AutoencoderKL vae =
          TrainingStep.building(
              () ->
                  new AutoencoderKL(
                      VaeConfig.read(CHECKPOINT.resolve("vae/config.json")),
                      t,
                      m,
                      DataType.FLOAT32));
      m.getEngine().setRandomSeed(3);
      NDArray image = m.randomUniform(-1f, 1f, new Shape(2, 3, 32, 32));
      Adam adam = Adam.defaults();
      float first = 0, last = 0;
      for (int step = 0; step < 10; step++) {
        last =
            TrainingStep.run(
                t.parameters(),
                adam,
                3e-3f,
                () -> vae.decode(vae.encodeMean(image)).sub(image).square().mean());
        if (step == 0) first = last;
      }
      assertTrue(last < 0.8f * first, "reconstruction loss " + first + " -> " + last);
    }
  }

  @Test
  void unetAndTextEncoderLossFallsAndGradientsReachTheParameters() {
    try (NDManager m = NDManager.newBaseManager();
        TrainableTensors tu = trainable("unet");
        TrainableTensors tt = trainable("text_encoder")) {
      UNet2DConditionModel unet =
          TrainingStep.building(
              () ->
                  new UNet2DConditionModel(
                      UNetConfig.read(CHECKPOINT.resolve("unet/config.json")),
                      tu,
                      m,
                      DataType.FLOAT32));
      ClipTextModel clip = clip(tt, m);
      m.getEngine().setRandomSeed(5);
      int in = unet.config().inChannels();
      NDArray x = m.randomNormal(new Shape(2, in, 8, 8));
      NDArray target = m.randomNormal(new Shape(2, unet.config().outChannels(), 8, 8));
      NDArray t = m.create(new float[] {10, 500});
      int[][] ids = new int[2][77];
      for (int i = 0; i < 77; i++) {
        ids[0][i] = i % 50 + 1;
        ids[1][i] = (i * 7) % 50 + 1;
      }
      Map<String, NDArray> all = new HashMap<>();
      tu.parameters().forEach((k, v) -> all.put("unet." + k, v));
      tt.parameters().forEach((k, v) -> all.put("text_encoder." + k, v));
      Adam adam = Adam.defaults();
      float first = 0, last = 0;
      for (int step = 0; step < 6; step++) {
        last =
            TrainingStep.run(
                all,
                adam,
                1e-3f,
                () ->
                    unet.forward(x, t, clip.encode(m, ids), AttentionContext.none(0))
                        .sub(target)
                        .square()
                        .mean());
        if (step == 0) first = last;
      }
      assertTrue(last < 0.9f * first, "denoising loss " + first + " -> " + last);
      // every parameter moved, except the mid block's self-attention query/key: at 1x1 resolution
      // there is one token,
      // so its softmax is constant and they get no gradient
      assertTrue(all.size() > 400, all.size() + " parameters");
    }
  }

  /**
   * The embedding's backward pass reads the token ids it kept from the forward pass. Between the
   * two: a garbage collection, then new arrays of another id that would take the memory of ids held
   * only by Java (as they once were: the toy trainer's resume test failed one run in seven).
   */
  @Test
  void theTokenEmbeddingsGradientLandsOnTheInstructionsTokensAfterAGarbageCollection()
      throws InterruptedException {
    int unused = 40;
    try (NDManager m = NDManager.newBaseManager();
        TrainableTensors tt = trainable("text_encoder")) {
      ClipTextModel clip = clip(tt, m);
      NDArray embedding = tt.parameters().get("text_model.embeddings.token_embedding.weight");
      int[][] ids = new int[2][77];
      for (int i = 0; i < 77; i++) {
        ids[0][i] = i % 10 + 1;
        ids[1][i] = (i * 3) % 10 + 1;
      }
      long[] others = new long[2 * 77];
      Arrays.fill(others, unused);
      for (int round = 0; round < 5; round++) {
        try (NDManager step = m.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss = clip.encode(step, ids).square().sum();
          System.gc();
          Thread.sleep(10);
          for (int i = 0; i < 50; i++) step.create(others).close();
          collector.backward(loss);
          try (NDArray g = embedding.getGradient()) {
            assertEquals(0f, g.get(unused).abs().sum().getFloat(), "round " + round);
            assertTrue(g.get(1).abs().sum().getFloat() > 0, "round " + round);
            g.subi(g);
          }
        }
      }
    }
  }
}
