package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.schedulers.Schedule;
import dev.viaspark.diffusion.schedulers.Scheduler;
import dev.viaspark.diffusion.schedulers.StepOutput;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The toy model's folder layout, as far as it decides how the engine samples from it. */
class ToyModelLayoutTest {
  @TempDir Path dir;

  /**
   * The toy VAE's scaled latents spread wider than [-1, 1] (standard deviation about 1.2); a DDIM
   * scheduler built from a config without {@code clip_sample: false} clamps its x0 prediction to
   * that range and edited nothing right (0% held-out accuracy against 31% for Euler ancestral).
   */
  @Test
  void aDdimSchedulerBuiltFromTheToyConfigDoesNotClampLatents() throws Exception {
    ToyModelLayout.writeConfigs(dir, ToyModelLayout.vocabulary(), 1.0);
    Scheduler ddim =
        Scheduler.fromConfig(dir.resolve("scheduler/scheduler_config.json"), "DDIMScheduler");
    Schedule schedule = ddim.schedule(20);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray sample = m.full(new Shape(1, 4, 2, 2), 2.5f);
      StepOutput out = schedule.step(m.zeros(sample.getShape()), 0, sample, null);
      float x0 = out.predOriginalSample().max().getFloat();
      assertTrue(
          x0 > 2.5f,
          "x0 of a zero noise prediction is the sample over sqrt(alpha), unclamped: " + x0);
      // the last step lands on alpha_cumprod[0] (set_alpha_to_one false), as Stable Diffusion's
      // configs say
      StepOutput last = schedule.step(m.zeros(sample.getShape()), 19, sample, null);
      assertTrue(last.prevSample().max().getFloat() < last.predOriginalSample().max().getFloat());
      assertEquals(20, schedule.steps());
    }
  }
}
