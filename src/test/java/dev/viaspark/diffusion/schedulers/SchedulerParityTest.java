package dev.viaspark.diffusion.schedulers;

import static dev.viaspark.diffusion.TestVectors.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity with diffusers 0.24 (vectors/schedulers.*): the training schedule, the timesteps and
 * sigmas for 10 and 20 steps, and a 10-step chain per scheduler that feeds its own outputs forward.
 * The float32 arithmetic is reproduced op for op and matches the shipped vectors bit for bit; the
 * tolerance (1e-6 relative, about 8 float32 ulps of the largest value) only leaves room for vectors
 * made with another torch build, whose linspace differs in the last bit.
 */
class SchedulerParityTest {
  private static final double TOL = 1e-6;
  private static SafetensorsFile vectors;
  private static JsonNode meta;

  @BeforeAll
  static void open() {
    vectors = TestVectors.vectors("schedulers");
    meta = TestVectors.json("schedulers").get("schedulers");
  }

  @AfterAll
  static void close() {
    vectors.close();
  }

  private static Path checkpointConfig() {
    return TestVectors.checkpoint().resolve("scheduler").resolve("scheduler_config.json");
  }

  /**
   * As the vectors were made: the checkpoint's own scheduler, or {@code
   * X.from_config(pipe.scheduler.config)}.
   */
  private static Scheduler scheduler(String kind) {
    String className = meta.get(kind).get("class").asText();
    Scheduler s =
        Scheduler.fromConfig(checkpointConfig(), kind.equals("euler_ancestral") ? null : className);
    assertEquals(className, s.name());
    return s;
  }

  private static BetaSchedule betaSchedule(Scheduler s) {
    if (s instanceof EulerAncestralDiscreteScheduler e) return e.betaSchedule();
    if (s instanceof EulerDiscreteScheduler e) return e.betaSchedule();
    return ((DdimScheduler) s).betaSchedule();
  }

  @ParameterizedTest
  @ValueSource(strings = {"euler_ancestral", "euler", "ddim"})
  void trainingScheduleMatches(String kind) {
    BetaSchedule betas = betaSchedule(scheduler(kind));
    assertClose(vectors.floats(kind + ".betas"), betas.betas(), TOL, kind + ".betas");
    assertClose(
        vectors.floats(kind + ".alphas_cumprod"),
        betas.alphasCumprod(),
        TOL,
        kind + ".alphas_cumprod");
  }

  @ParameterizedTest
  @ValueSource(strings = {"euler_ancestral", "euler", "ddim"})
  void timestepsSigmasAndInitNoiseSigmaMatch(String kind) {
    Scheduler fromCheckpoint = scheduler(kind);
    // The sidecar's config has every default filled in; it must give the same plan as the
    // checkpoint's.
    Scheduler fromSidecar =
        Scheduler.fromConfig(meta.get(kind).get("config"), meta.get(kind).get("class").asText());
    for (Scheduler s : List.of(fromCheckpoint, fromSidecar)) {
      for (int n : new int[] {10, 20}) {
        String prefix = kind + ".n" + n;
        Schedule plan = s.schedule(n);
        JsonNode expected = meta.get(kind).get("n" + n);
        assertEquals(n, plan.steps());
        float initNoiseSigma = expected.get("init_noise_sigma").floatValue();
        assertClose(
            new float[] {initNoiseSigma},
            new float[] {plan.initNoiseSigma()},
            TOL,
            prefix + ".init_noise_sigma");
        if (kind.equals("ddim")) {
          assertTrue(plan.integerTimesteps());
          long[] want = vectors.longs(prefix + ".timesteps");
          for (int i = 0; i < n; i++) {
            assertEquals((float) want[i], plan.timestep(i), prefix + ".timesteps[" + i + "]");
            assertTrue(Float.isNaN(plan.sigma(i)));
          }
        } else {
          assertFalse(plan.integerTimesteps());
          float[] timesteps = new float[n];
          float[] sigmas = new float[n];
          for (int i = 0; i < n; i++) {
            timesteps[i] = plan.timestep(i);
            sigmas[i] = plan.sigma(i);
          }
          assertClose(vectors.floats(prefix + ".timesteps"), timesteps, TOL, prefix + ".timesteps");
          float[] wantSigmas = vectors.floats(prefix + ".sigmas");
          assertClose(Arrays.copyOf(wantSigmas, n), sigmas, TOL, prefix + ".sigmas");
          assertEquals(0f, wantSigmas[n]);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"euler_ancestral", "euler", "ddim"})
  void tenStepChainMatches(String kind) {
    String prefix = kind + ".chain.";
    Schedule plan = scheduler(kind).schedule(10);
    long[] stacked = vectors.entry(prefix + "model_output").shape();
    Shape stepShape = new Shape(Arrays.copyOfRange(stacked, 1, stacked.length));
    int size = (int) stepShape.size();
    float[] modelOutputs = vectors.floats(prefix + "model_output");
    float[] scaledInputs = vectors.floats(prefix + "scaled_model_input");
    float[] prevSamples = vectors.floats(prefix + "prev_sample");
    float[] originals = vectors.floats(prefix + "pred_original_sample");
    ReplayNoise stepNoise =
        kind.equals("ddim")
            ? null
            : ReplayNoise.ofStacked(
                vectors.floats(prefix + "step_noise"),
                new Shape(vectors.entry(prefix + "step_noise").shape()));
    NoiseSource noise =
        stepNoise != null
            ? stepNoise
            : (m, s) -> {
              throw new AssertionError("DDIM with eta 0 must not draw noise");
            };

    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray sample = manager.create(vectors.floats(prefix + "sample_0"), stepShape);
      for (int i = 0; i < plan.steps(); i++) {
        String at = prefix + "[" + i + "].";
        try (NDArray scaled = plan.scaleModelInput(sample, i)) {
          assertClose(
              slice(scaledInputs, i, size), scaled.toFloatArray(), TOL, at + "scaled_model_input");
        }
        NDArray modelOutput = manager.create(slice(modelOutputs, i, size), stepShape);
        StepOutput out = plan.step(modelOutput, i, sample, noise);
        assertEquals(DataType.FLOAT32, out.prevSample().getDataType());
        assertClose(
            slice(originals, i, size),
            out.predOriginalSample().toFloatArray(),
            TOL,
            at + "pred_original_sample");
        assertClose(
            slice(prevSamples, i, size), out.prevSample().toFloatArray(), TOL, at + "prev_sample");
        sample.close();
        modelOutput.close();
        out.predOriginalSample().close();
        sample = out.prevSample();
      }
      sample.close();
    }
    if (stepNoise != null)
      assertEquals(0, stepNoise.remaining(), "one draw per step, the last included");
  }

  /**
   * Half-precision latents (as on a GPU): diffusers' Euler steps upcast to float32 and return the
   * model's dtype.
   */
  @ParameterizedTest
  @ValueSource(strings = {"euler_ancestral", "euler", "ddim"})
  void float16SamplesStayFloat16(String kind) {
    String prefix = kind + ".chain.";
    Schedule plan = scheduler(kind).schedule(10);
    Shape shape = new Shape(vectors.entry(prefix + "sample_0").shape());
    int size = (int) shape.size();
    int i = 3;
    NoiseSource noise =
        kind.equals("ddim")
            ? (m, s) -> {
              throw new AssertionError();
            }
            : ReplayNoise.ofFloats(
                List.of(slice(vectors.floats(prefix + "step_noise"), i, size)), List.of(shape));
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray sample =
          manager
              .create(slice(vectors.floats(prefix + "prev_sample"), i - 1, size), shape)
              .toType(DataType.FLOAT16, false);
      NDArray modelOutput =
          manager
              .create(slice(vectors.floats(prefix + "model_output"), i, size), shape)
              .toType(DataType.FLOAT16, false);
      NDArray scaled = plan.scaleModelInput(sample, i);
      assertEquals(DataType.FLOAT16, scaled.getDataType());
      StepOutput out = plan.step(modelOutput, i, sample, noise);
      assertEquals(DataType.FLOAT16, out.prevSample().getDataType());
      float[] prev = out.prevSample().toType(DataType.FLOAT32, false).toFloatArray();
      assertClose(
          slice(vectors.floats(prefix + "prev_sample"), i, size),
          prev,
          2e-3,
          kind + " float16 prev_sample");
    }
  }

  @Test
  void seededNoiseIsDeterministicAndStandardNormal() {
    Shape shape = new Shape(100_000);
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] a = new SeededNoise(42).next(manager, shape).toFloatArray();
      float[] b = new SeededNoise(42).next(manager, shape).toFloatArray();
      float[] c = new SeededNoise(43).next(manager, shape).toFloatArray();
      assertArrayEquals(a, b);
      assertFalse(Arrays.equals(a, c));
      double sum = 0;
      double squares = 0;
      for (float v : a) {
        sum += v;
        squares += (double) v * v;
      }
      double mean = sum / a.length;
      double std = Math.sqrt(squares / a.length - mean * mean);
      assertEquals(0, mean, 0.01, "mean");
      assertEquals(1, std, 0.01, "std");

      // The stream does not depend on how it is cut into draws.
      SeededNoise split = new SeededNoise(42);
      float[] first = split.next(manager, new Shape(3)).toFloatArray();
      float[] rest = split.next(manager, new Shape(5)).toFloatArray();
      assertArrayEquals(Arrays.copyOf(a, 3), first);
      assertArrayEquals(Arrays.copyOfRange(a, 3, 8), rest);
      // Pinned values: a change of algorithm would silently change every seeded run.
      assertArrayEquals(
          new float[] {-1.7801167f, 1.2300421f, -0.12740202f, -0.80846083f},
          new SeededNoise(0).next(manager, new Shape(2, 2)).toFloatArray());
    }
  }

  @Test
  void replayNoiseChecksShapesAndRunsOut() {
    Shape shape = new Shape(1, 2);
    ReplayNoise replay =
        ReplayNoise.ofFloats(
            List.of(new float[] {1, 2}, new float[] {3, 4}), List.of(shape, shape));
    try (NDManager manager = NDManager.newBaseManager()) {
      assertArrayEquals(new float[] {1, 2}, replay.next(manager, shape).toFloatArray());
      IllegalStateException wrongShape =
          assertThrows(IllegalStateException.class, () -> replay.next(manager, new Shape(2, 1)));
      assertTrue(wrongShape.getMessage().contains("(1, 2)"), wrongShape.getMessage());
      assertArrayEquals(new float[] {3, 4}, replay.next(manager, shape).toFloatArray());
      IllegalStateException exhausted =
          assertThrows(IllegalStateException.class, () -> replay.next(manager, shape));
      assertTrue(exhausted.getMessage().contains("exhausted"), exhausted.getMessage());

      NDArray recorded = manager.create(new float[] {5, 6}, shape);
      ReplayNoise fromArrays = ReplayNoise.ofArrays(List.of(recorded));
      assertArrayEquals(new float[] {5, 6}, fromArrays.next(manager, shape).toFloatArray());
    }
  }

  @Test
  void unknownClassNamesAndBadValuesThrow() {
    IllegalArgumentException byArgument =
        assertThrows(
            IllegalArgumentException.class,
            () -> Scheduler.fromConfig(checkpointConfig(), "PNDMScheduler"));
    assertTrue(byArgument.getMessage().contains("PNDMScheduler"), byArgument.getMessage());
    assertTrue(byArgument.getMessage().contains("scheduler_config.json"), byArgument.getMessage());

    ObjectNode config = (ObjectNode) TestVectors.readJson(checkpointConfig());
    config.put("_class_name", "LMSDiscreteScheduler");
    IllegalArgumentException byClassName =
        assertThrows(IllegalArgumentException.class, () -> Scheduler.fromConfig(config, null));
    assertTrue(byClassName.getMessage().contains("_class_name"), byClassName.getMessage());

    config.put("beta_schedule", "cosine");
    IllegalArgumentException badValue =
        assertThrows(
            IllegalArgumentException.class,
            () -> Scheduler.fromConfig(config, "EulerDiscreteScheduler"));
    assertTrue(badValue.getMessage().contains("beta_schedule"), badValue.getMessage());

    config.put("beta_schedule", "linear");
    config.put("timestep_spacing", 3);
    IllegalArgumentException badType =
        assertThrows(
            IllegalArgumentException.class, () -> Scheduler.fromConfig(config, "DDIMScheduler"));
    assertTrue(badType.getMessage().contains("timestep_spacing"), badType.getMessage());
  }

  @Test
  void otherSpacingsFollowDiffusers() {
    ObjectNode config = (ObjectNode) TestVectors.readJson(checkpointConfig());
    config.put("timestep_spacing", "leading");
    Schedule leading = Scheduler.fromConfig(config, "EulerDiscreteScheduler").schedule(10);
    assertEquals(901f, leading.timestep(0));
    assertEquals(1f, leading.timestep(9));
    float sigmaMax = leading.sigma(0);
    assertEquals((float) Math.sqrt(sigmaMax * sigmaMax + 1f), leading.initNoiseSigma());

    config.put("timestep_spacing", "trailing");
    Schedule trailing =
        Scheduler.fromConfig(config, "EulerAncestralDiscreteScheduler").schedule(10);
    assertEquals(999f, trailing.timestep(0));
    assertEquals(99f, trailing.timestep(9));
    assertEquals(trailing.sigma(0), trailing.initNoiseSigma());
    // n = 61 is one of the counts where numpy's arange would add a 62nd timestep (-1).
    Schedule trailing61 = Scheduler.fromConfig(config, "DDIMScheduler").schedule(61);
    assertEquals(61, trailing61.steps());
    assertEquals(15f, trailing61.timestep(60));

    config.put("timestep_spacing", "linspace");
    Schedule ddimLinspace = Scheduler.fromConfig(config, "DDIMScheduler").schedule(20);
    assertEquals(999f, ddimLinspace.timestep(0));
    assertEquals(946f, ddimLinspace.timestep(1)); // round(946.42)
    assertEquals(0f, ddimLinspace.timestep(19));
  }

  private static float[] slice(float[] stacked, int index, int size) {
    return Arrays.copyOfRange(stacked, index * size, (index + 1) * size);
  }
}
