package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline in float16 (weights and activations, as on a GPU; here on the CPU) stays within 1e-2
 * relative of the float32 reference image.
 */
class Float16ParityTest {
  @Test
  void float16EulerRunStaysWithinOnePercent() {
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("pipeline");
        InstructPix2PixPipeline half =
            InstructPix2PixPipeline.load(
                TestVectors.checkpoint(), Device.cpu(), DataType.FLOAT16, 0)) {
      NDArray hwc =
          m.create(
              toFloats(vectors.longs("input_image_uint8_hwc")),
              new Shape(vectors.entry("input_image_uint8_hwc").shape()));
      NDArray image = hwc.div(255f).mul(2f).sub(1f).transpose(2, 0, 1).expandDims(0);
      NDArray latents =
          m.create(
              vectors.floats("latents_unit"), new Shape(vectors.entry("latents_unit").shape()));
      String prompt = TestVectors.json("pipeline").get("common").get("prompt").asText();
      EditCall call =
          new EditCall(
              image,
              List.of(prompt),
              null,
              10,
              7.5f,
              1.5f,
              "EulerDiscreteScheduler",
              new SeededNoise(0),
              latents,
              AttentionHook.NONE,
              null);
      NDArray out = half.edit(m, call, null);
      assertEquals(DataType.FLOAT16, out.getDataType(), "the run is float16 end to end");
      float[] actual = out.toType(DataType.FLOAT32, false).toFloatArray();
      float[] expected = vectors.floats("euler.image_pt");
      double maxDiff = 0;
      for (int i = 0; i < expected.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
      // image values are in [0, 1], so the absolute error is the error relative to the image's
      // range
      assertTrue(maxDiff <= 1e-2, "float16 image differs from float32 by " + maxDiff);
    }
  }

  private static float[] toFloats(long[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = v[i];
    return f;
  }
}
