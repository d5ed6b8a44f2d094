package dev.viaspark.edit.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.config.ViasparkSettings.SeedGenerator;
import dev.viaspark.config.ViasparkSettings.SeedMode;
import dev.viaspark.diffusion.schedulers.TorchNoise;
import org.junit.jupiter.api.Test;

class FrameSeedsTest {
  @Test
  void sharedNoiseDependsOnTheSeedAndFileNameOnly() {
    long here = FrameSeeds.of(42, "file:/data/a/clip.mp4", 0, SeedMode.SHARED);
    assertEquals(here, FrameSeeds.of(42, "s3a://bucket/moved/clip.mp4", 7, SeedMode.SHARED));
    assertEquals(here, FrameSeeds.of(42, "clip.mp4", 3, SeedMode.SHARED));
    assertNotEquals(here, FrameSeeds.of(43, "file:/data/a/clip.mp4", 0, SeedMode.SHARED));
    assertNotEquals(here, FrameSeeds.of(42, "file:/data/a/other.mp4", 0, SeedMode.SHARED));
  }

  @Test
  void perFrameNoiseAlsoDependsOnTheFrame() {
    long first = FrameSeeds.of(42, "file:/data/a/clip.mp4", 0, SeedMode.PER_FRAME);
    assertEquals(first, FrameSeeds.of(42, "hdfs:///b/clip.mp4", 0, SeedMode.PER_FRAME));
    assertNotEquals(first, FrameSeeds.of(42, "file:/data/a/clip.mp4", 1, SeedMode.PER_FRAME));
  }

  @Test
  void torchsGeneratorTakesTheSeedAndInPerFrameModeTheSeedPlusTheFrameIndex() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(1, 4, 4, 4);
      float[] seven = new TorchNoise(7).next(m, shape).toFloatArray();
      float[] ten = new TorchNoise(10).next(m, shape).toFloatArray();
      assertArrayEquals(
          seven,
          FrameSeeds.noise(7, "file:/a/clip.mp4", 3, SeedMode.SHARED, SeedGenerator.TORCH)
              .next(m, shape)
              .toFloatArray());
      assertArrayEquals(
          ten,
          FrameSeeds.noise(7, "file:/a/other.mp4", 3, SeedMode.PER_FRAME, SeedGenerator.TORCH)
              .next(m, shape)
              .toFloatArray());
    }
  }
}
