package dev.viaspark.diffusion.schedulers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@link DdimScheduler#inverse} against diffusers' DDIMInverseScheduler, worked out by hand for an
 * SD 1.x config (scaled_linear 0.00085 to 0.012, steps_offset 1, set_alpha_to_one false, no
 * clipping).
 */
class DdimInverseTest {
  private static final int STEPS = 10;

  private static DdimScheduler sd() throws Exception {
    JsonNode config =
        new ObjectMapper()
            .readTree(
                "{\"_class_name\": \"DDIMScheduler\", \"num_train_timesteps\": 1000,"
                    + " \"beta_start\": 0.00085, \"beta_end\": 0.012, \"beta_schedule\":"
                    + " \"scaled_linear\", \"steps_offset\": 1, \"set_alpha_to_one\": false,"
                    + " \"clip_sample\": false, \"prediction_type\": \"epsilon\"}");
    return (DdimScheduler) Scheduler.fromConfig(config, null);
  }

  /** alphas_cumprod[t] from the betas' definition, in double precision. */
  private static double alphaCumprod(int t) {
    double a = 1;
    double lo = Math.sqrt(0.00085), hi = Math.sqrt(0.012);
    for (int i = 0; i <= t; i++) {
      double beta = Math.pow(lo + (hi - lo) * i / 999.0, 2);
      a *= 1 - beta;
    }
    return a;
  }

  @Test
  void timestepsAscendThroughTheDenoisingOnes() throws Exception {
    Schedule inverse = sd().inverse(STEPS);
    float[] t = new float[STEPS];
    for (int i = 0; i < STEPS; i++) t[i] = inverse.timestep(i);
    assertArrayEquals(new float[] {1, 101, 201, 301, 401, 501, 601, 701, 801, 901}, t);
  }

  @Test
  void eachStepLiftsTheSampleFromTheLevelOneStrideBelow() throws Exception {
    Schedule inverse = sd().inverse(STEPS);
    float sample = 0.5f, eps = 0.1f;
    try (NDManager m = NDManager.newBaseManager()) {
      // step 0: from below the first timestep, where set_alpha_to_one false means alphas_cumprod[0]
      // step 3: from timestep 201 to 301
      int[][] cases = {{0, 0, 1}, {3, 201, 301}};
      for (int[] c : cases) {
        double from = alphaCumprod(c[1]), to = alphaCumprod(c[2]);
        double x0 = (sample - Math.sqrt(1 - from) * eps) / Math.sqrt(from);
        double expected = Math.sqrt(to) * x0 + Math.sqrt(1 - to) * eps;
        NDArray out =
            inverse
                .step(m.create(new float[] {eps}), c[0], m.create(new float[] {sample}), null)
                .prevSample();
        assertEquals(expected, out.getFloat(0), 1e-5, "step " + c[0]);
      }
    }
  }

  @Test
  void aDenoisingStepUndoesTheInverseStepForTheSameNoise() throws Exception {
    DdimScheduler ddim = sd();
    Schedule inverse = ddim.inverse(STEPS);
    Schedule forward = ddim.schedule(STEPS);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {0.3f, -1.2f, 2.0f});
      NDArray eps = m.create(new float[] {0.5f, -0.4f, 1.1f});
      // inverse step 4 goes from 301 to 401; forward step 5 (timestep 401) comes back to 301
      NDArray up = inverse.step(eps, 4, x, null).prevSample();
      assertEquals(401f, forward.timestep(5));
      NDArray back = forward.step(eps, 5, up, null).prevSample();
      assertArrayEquals(x.toFloatArray(), back.toFloatArray(), 1e-5f);
    }
  }
}
