package dev.viaspark.diffusion.schedulers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.viaspark.diffusion.TestVectors;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * DDIM with eta above 0 (diffusers' DDIMScheduler.step with {@code eta}), worked out by hand: the
 * direction to x_t loses the variance that the fresh noise brings back.
 */
class DdimEtaTest {
  private static final Path CONFIG =
      TestVectors.checkpoint().resolve("scheduler").resolve("scheduler_config.json");

  @Test
  void oneStepAddsTheDrawnNoiseTimesEtaTimesTheStepsStandardDeviation() {
    DdimScheduler ddim = (DdimScheduler) Scheduler.fromConfig(CONFIG, "DDIMScheduler");
    BetaSchedule betas = ddim.betaSchedule();
    float eta = 0.7f;
    Schedule s = ddim.withEta(eta).schedule(10); // 901, 801, ..., 1
    AtomicInteger draws = new AtomicInteger();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray sample = m.create(new float[] {0.8f, -0.3f});
      NDArray eps = m.create(new float[] {0.2f, 1.1f});
      NoiseSource noise =
          (manager, shape) -> {
            draws.incrementAndGet();
            return manager.create(new float[] {1.5f, -0.5f}, shape);
          };
      float[] got = s.step(eps, 0, sample, noise).prevSample().toFloatArray();

      double a = betas.alphaCumprod(901), aPrev = betas.alphaCumprod(801);
      double std = eta * Math.sqrt((1 - aPrev) / (1 - a) * (1 - a / aPrev));
      double[] x = {0.8, -0.3}, e = {0.2, 1.1}, z = {1.5, -0.5};
      float[] expected = new float[2];
      for (int i = 0; i < 2; i++) {
        double x0 = (x[i] - Math.sqrt(1 - a) * e[i]) / Math.sqrt(a);
        expected[i] =
            (float) (Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev - std * std) * e[i] + std * z[i]);
      }
      assertArrayEquals(expected, got, 1e-5f);
      assertEquals(1, draws.get(), "one draw per step");
    }
  }

  @Test
  void refusesANegativeEta() {
    DdimScheduler ddim = (DdimScheduler) Scheduler.fromConfig(CONFIG, "DDIMScheduler");
    assertThrows(IllegalArgumentException.class, () -> ddim.withEta(-0.1f));
  }
}
