package dev.viaspark.diffusion.attention;

import static dev.viaspark.diffusion.TestVectors.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-attention K/V recorded at the first UNet call of the reference Euler run, and the
 * record/replace round trip: swapping in exactly what was recorded reproduces the output.
 */
class KvCaptureParityTest {
  static NDManager manager;
  static UNet2DConditionModel unet;
  static SafetensorsFile pipeline;
  static SafetensorsFile capture;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    unet =
        UNet2DConditionModel.load(
            TestVectors.checkpoint().resolve("unet"), manager, DataType.FLOAT32);
    pipeline = TestVectors.vectors("pipeline");
    capture = TestVectors.vectors("kv_capture");
  }

  @AfterAll
  static void close() {
    capture.close();
    pipeline.close();
    manager.close();
  }

  static NDArray tensor(NDManager m, SafetensorsFile f, String name) {
    return m.create(f.floats(name), new Shape(f.entry(name).shape()));
  }

  static AttentionContext firstEulerCall(AttentionHook hook) {
    List<GuidanceBranch> branches = List.of(GuidanceBranch.values());
    return new AttentionContext(hook, 0, 999f, branches, 1, 0);
  }

  @Test
  void selfAttentionKeysAndValuesMatchTheReference() {
    try (NDManager m = manager.newSubManager();
        KvRecorder recorder = KvRecorder.selfAttention(m)) {
      NDArray sample = tensor(m, pipeline, "euler.unet_sample").get(new NDIndex("0"));
      NDArray context = tensor(m, pipeline, "euler.prompt_embeds");
      NDArray t = m.create(tensor(m, pipeline, "euler.timesteps").getFloat(0));
      unet.forward(sample, t, context, firstEulerCall(recorder));
      JsonNode modules = TestVectors.json("kv_capture").get("modules");
      List<String> expected = new ArrayList<>();
      modules.forEach(n -> expected.add(n.asText()));
      List<String> seen = new ArrayList<>();
      recorder.recorded().keySet().forEach(k -> seen.add(k.substring(0, k.indexOf('@'))));
      assertEquals(expected, seen, "self-attention modules in call order");
      for (String module : expected) {
        KeyValue kv = recorder.get(module, 0);
        assertNotNull(kv, module);
        assertArrayEquals(
            capture.entry(module + ".key").shape(), kv.key().getShape().getShape(), module);
        assertClose(
            capture.floats(module + ".key"), kv.key().toFloatArray(), 1e-4, module + ".key");
        assertClose(
            capture.floats(module + ".value"), kv.value().toFloatArray(), 1e-4, module + ".value");
      }
    }
  }

  @Test
  void replacingWithTheRecordedKeysAndValuesReproducesTheOutput() {
    try (NDManager m = manager.newSubManager();
        KvRecorder recorder = new KvRecorder(m, call -> true)) {
      NDArray sample = tensor(m, pipeline, "euler.unet_sample").get(new NDIndex("1"));
      NDArray context = tensor(m, pipeline, "euler.prompt_embeds");
      NDArray t = m.create(tensor(m, pipeline, "euler.timesteps").getFloat(1));
      float[] recorded = unet.forward(sample, t, context, firstEulerCall(recorder)).toFloatArray();
      float[] replaced =
          unet.forward(sample, t, context, firstEulerCall(KvReplacer.from(recorder)))
              .toFloatArray();
      assertArrayEquals(recorded, replaced);
      // and the swap really acts: K/V from another timestep change the output
      try (KvRecorder other = new KvRecorder(m, call -> true)) {
        unet.forward(sample, m.create(500f), context, firstEulerCall(other));
        float[] swapped =
            unet.forward(sample, t, context, firstEulerCall(KvReplacer.from(other))).toFloatArray();
        double diff = 0;
        for (int i = 0; i < swapped.length; i++)
          diff = Math.max(diff, Math.abs(swapped[i] - recorded[i]));
        Assertions.assertTrue(diff > 1e-3, "foreign K/V change the output (max diff " + diff + ")");
      }
    }
  }
}
