package dev.viaspark.diffusion.schedulers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.viaspark.diffusion.TestVectors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where an unedited source is after each step: what masked editing pins the outside to. */
class NoisedAfterStepTest {
  private static final Path CONFIG =
      TestVectors.checkpoint().resolve("scheduler").resolve("scheduler_config.json");

  @Test
  void eulerAddsTheNextSigmasNoiseAndEndsClean() {
    Schedule s = Scheduler.fromConfig(CONFIG, "EulerDiscreteScheduler").schedule(5);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray clean = m.create(new float[] {0.5f, -1f});
      NDArray noise = m.create(new float[] {1f, 2f});
      float sigma = s.sigma(1);
      assertArrayEquals(
          new float[] {0.5f + sigma, -1f + 2 * sigma},
          s.noisedAfterStep(clean, noise, 0).toFloatArray(),
          1e-5f);
      assertArrayEquals(
          clean.toFloatArray(), s.noisedAfterStep(clean, noise, 4).toFloatArray(), 0f);
    }
  }

  @Test
  void ddimUsesThePreviousTimestepsAlphaAndTheFinalAlphaAtTheEnd() {
    DdimScheduler ddim = (DdimScheduler) Scheduler.fromConfig(CONFIG, "DDIMScheduler");
    Schedule s = ddim.schedule(10);
    BetaSchedule betas = ddim.betaSchedule();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray clean = m.create(new float[] {1f});
      NDArray noise = m.create(new float[] {1f});
      // 10 of 1000 steps, "leading" spacing with steps_offset 1: 901, 801, ..., 1; after step 0:
      // t=801
      assertEquals(901f, s.timestep(0));
      float a = betas.alphaCumprod(801);
      assertEquals(
          (float) (Math.sqrt(a) + Math.sqrt(1 - a)),
          s.noisedAfterStep(clean, noise, 0).toFloatArray()[0],
          1e-6f);
      // after the last step: set_alpha_to_one is false, so alpha_0
      float a0 = betas.alphaCumprod(0);
      assertEquals(
          (float) (Math.sqrt(a0) + Math.sqrt(1 - a0)),
          s.noisedAfterStep(clean, noise, 9).toFloatArray()[0],
          1e-6f);
    }
  }
}
