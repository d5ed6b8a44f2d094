package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.schedulers.Schedule;
import dev.viaspark.diffusion.schedulers.Scheduler;
import org.junit.jupiter.api.Test;

/** How a mask the model finds is made from its guidance branches' differences. */
class MaskedDenoisingTest {
  /** A run of {@code batch} images of 8 x 8 latents (8 pixels each), source and noise zero. */
  private static MaskedDenoising onZeroLatents(NDManager m, int batch, LatentMask mask) {
    NDArray zeros = m.zeros(new Shape(batch, 4, 8, 8));
    return new MaskedDenoising(mask, zeros, zeros, 8, m, DataType.FLOAT32);
  }

  @Test
  void aFoundMaskCoversWhereTheBranchesDisagreeWithAOneLatentMargin() {
    try (NDManager m = NDManager.newBaseManager()) {
      MaskedDenoising md = onZeroLatents(m, 1, LatentMask.found(2, 0.5f, false, 0f, 0.5f));
      NDArray disagree = m.zeros(new Shape(1, 4, 8, 8));
      disagree.set(new NDIndex(":, :, 2:4, 2:4"), 3f);
      disagree.set(new NDIndex(":, :, 6, 6"), 1f); // below half the largest difference
      assertTrue(md.finding(0));
      md.addDifference(0, disagree, 10);
      assertTrue(md.finding(1));
      md.addDifference(1, disagree.neg(), 10); // |difference|: the sign does not matter
      assertFalse(md.finding(2), "found after its 2 steps");
      NDArray pixels = md.pixels(m.zeros(new Shape(1, 3, 64, 64)));
      assertArrayEquals(new long[] {1, 1, 64, 64}, pixels.getShape().getShape());
      float[] latent = pixels.get(new NDIndex(":, :, 4::8, 4::8")).toFloatArray();
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean inside = y >= 1 && y <= 4 && x >= 1 && x <= 4;
          assertTrue(latent[y * 8 + x] == (inside ? 1f : 0f), "latent " + y + "," + x);
        }
      }
    }
  }

  @Test
  void withTheStrongestRegionEachImageKeepsOnlyItsRegionOfHighestMeanEvidence() {
    try (NDManager m = NDManager.newBaseManager()) {
      MaskedDenoising md = onZeroLatents(m, 2, LatentMask.found(1, 0.2f, true, 0f, 0.5f));
      NDArray disagree = m.zeros(new Shape(2, 4, 8, 8));
      disagree.set(new NDIndex("0, :, 2:4, 2:4"), 3f); // image 0: this region wins...
      disagree.set(new NDIndex("0, :, 6, 6"), 2f); // ...over a smaller, weaker one
      disagree.set(new NDIndex("1, :, 0:4, 0:4"), 1f); // image 1: a larger, weaker region loses...
      disagree.set(new NDIndex("1, :, 5:7, 5:7"), 3f); // ...to a stronger one
      md.addDifference(0, disagree, 10);
      float[] latent =
          md.pixels(m.zeros(new Shape(2, 3, 64, 64)))
              .get(new NDIndex(":, :, 4::8, 4::8"))
              .toFloatArray();
      for (int b = 0; b < 2; b++) {
        int from = b == 0 ? 1 : 4, to = b == 0 ? 4 : 7;
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            boolean inside = y >= from && y <= to && x >= from && x <= to;
            assertTrue(
                latent[b * 64 + y * 8 + x] == (inside ? 1f : 0f),
                "image " + b + ", latent " + y + "," + x);
          }
        }
      }
    }
  }

  /**
   * With a prior (the region the anchor kept, at pixel size) an image keeps the region under it,
   * though another is stronger, and reports that region, undilated, at pixel size.
   */
  @Test
  void withAPriorTheRegionUnderItIsKeptAndReported() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray prior = m.zeros(new Shape(1, 1, 64, 64));
      prior.set(new NDIndex("0, 0, 40:52, 40:52"), 1f); // latents 5-6: 5 whole, 6 half
      MaskedDenoising md =
          onZeroLatents(m, 1, LatentMask.found(1, 0.2f, true, 0f, 0.5f).following(prior));
      NDArray disagree = m.zeros(new Shape(1, 4, 8, 8));
      disagree.set(new NDIndex("0, :, 1:3, 1:3"), 3f); // the strongest region
      disagree.set(new NDIndex("0, :, 5:7, 5:7"), 1f); // the one under the prior
      md.addDifference(0, disagree, 10);
      float[] region = md.region().get(new NDIndex(":, :, 4::8, 4::8")).toFloatArray();
      assertArrayEquals(new long[] {1, 1, 64, 64}, md.region().getShape().getShape());
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean inside = y >= 5 && y <= 6 && x >= 5 && x <= 6;
          assertTrue(region[y * 8 + x] == (inside ? 1f : 0f), "latent " + y + "," + x);
        }
      }
    }
  }

  @Test
  void theOutsideEndsOnTheSourceAndTheInsideIsLeftAlone() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray clean = m.full(new Shape(1, 1, 2, 2), 5f);
      NDArray noise = m.zeros(new Shape(1, 1, 2, 2));
      NDArray pixels = m.zeros(new Shape(1, 1, 16, 16));
      pixels.set(new NDIndex(":, :, :, :8"), 1f); // the left latents may change
      MaskedDenoising md =
          new MaskedDenoising(
              LatentMask.given(pixels, 0f, 0.5f), clean, noise, 8, m, DataType.FLOAT32);
      Schedule schedule =
          Scheduler.fromConfig(
                  TestVectors.checkpoint().resolve("scheduler/scheduler_config.json"),
                  "EulerDiscreteScheduler")
              .schedule(4);
      NDArray next = m.zeros(new Shape(1, 1, 2, 2));
      // step 0 of 4 with a ramp over half the steps: half the pull
      float[] half = md.blend(next, 0, schedule).toFloatArray();
      assertArrayEquals(new float[] {0, 2.5f, 0, 2.5f}, half, 1e-5f);
      // the last step: the outside is the clean source, the inside untouched
      float[] last = md.blend(next, 3, schedule).toFloatArray();
      assertArrayEquals(new float[] {0, 5f, 0, 5f}, last, 0f);
    }
  }
}
