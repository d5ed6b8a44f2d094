package dev.viaspark.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.LoraAdapter;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Low-rank adapters tuned on the tiny checkpoint, its UNet frozen. */
class LoraTuningTest {
  private static final String PROMPT = "invert it";
  private static InstructPix2PixPipeline pipeline;
  @TempDir Path dir;

  @BeforeAll
  static void load() {
    pipeline =
        InstructPix2PixPipeline.load(TestVectors.checkpoint(), Device.cpu(), DataType.FLOAT32, 0);
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  /** One source image and its negative, the edit to learn. */
  private static NDList pair(NDManager m, int batch) {
    float[] v = new float[3 * 32 * 32];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
    NDArray source = m.create(v, new Shape(1, 3, 32, 32)).repeat(0, batch);
    return new NDList(source, source.neg());
  }

  private static LoraAdapter tune(NDManager m, List<Float> losses) throws Exception {
    return LoraTuning.tune(
        pipeline,
        PROMPT,
        (sm, step, batch) -> pair(sm, batch),
        new LoraTuning.Settings(15, 4, 2e-2f, 1, 11),
        m,
        (step, loss) -> losses.add(loss));
  }

  @Test
  void tuningLowersTheLossOnItsPairRepeatablyAndSurvivesAFile() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      List<Float> losses = new ArrayList<>();
      LoraAdapter tuned = tune(m, losses);
      assertEquals(15, losses.size());
      assertTrue(losses.stream().allMatch(Float::isFinite), losses.toString());
      NDList eval = pair(m, 2);
      float before = LoraTuning.loss(pipeline, PROMPT, eval, LoraAdapter.fresh(4, 11, m), 99, m);
      float after = LoraTuning.loss(pipeline, PROMPT, eval, tuned, 99, m);
      assertTrue(after < 0.95f * before, "loss " + before + " -> " + after);

      Path a = dir.resolve("a.safetensors"), b = dir.resolve("b.safetensors");
      tuned.write(a);
      tune(m, new ArrayList<>()).write(b);
      assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same inputs, same bits");
      assertEquals(
          after,
          LoraTuning.loss(pipeline, PROMPT, eval, LoraAdapter.read(a, m, DataType.FLOAT32), 99, m));
    }
  }

  @Test
  void aFreshAdapterChangesNothing() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList eval = pair(m, 2);
      float none = LoraTuning.loss(pipeline, PROMPT, eval, null, 3, m);
      float fresh = LoraTuning.loss(pipeline, PROMPT, eval, LoraAdapter.fresh(4, 1, m), 3, m);
      assertEquals(none, fresh);
    }
  }
}
