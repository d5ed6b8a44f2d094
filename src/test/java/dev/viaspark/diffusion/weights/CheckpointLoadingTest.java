package dev.viaspark.diffusion.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint files as users download them: bfloat16 weights, sharded files with an index,
 * pickle-only folders.
 */
class CheckpointLoadingTest {
  @TempDir Path dir;

  static Path unetDir() {
    return TestVectors.checkpoint().resolve("unet");
  }

  /**
   * Copies the tiny UNet into {@code target}, its tensors split over {@code shards} files plus an
   * index.
   */
  static void writeSharded(Path target, int shards, String dtype) throws Exception {
    Files.createDirectories(target);
    Files.copy(unetDir().resolve("config.json"), target.resolve("config.json"));
    List<SafetensorsWriter> writers = new ArrayList<>();
    for (int i = 0; i < shards; i++) writers.add(new SafetensorsWriter());
    StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
    try (SafetensorsFile f =
        SafetensorsFile.open(unetDir().resolve("diffusion_pytorch_model.safetensors"))) {
      int k = 0;
      for (TensorEntry e : f.tensors().values()) {
        int shard = k++ % shards;
        writers.get(shard).add(e.name(), dtype, e.shape(), encode(f.floats(e.name()), dtype));
        String file =
            String.format("diffusion_pytorch_model-%05d-of-%05d.safetensors", shard + 1, shards);
        index
            .append(k > 1 ? ", " : "")
            .append('"')
            .append(e.name())
            .append("\": \"")
            .append(file)
            .append('"');
      }
    }
    for (int i = 0; i < shards; i++) {
      writers
          .get(i)
          .write(
              target.resolve(
                  String.format(
                      "diffusion_pytorch_model-%05d-of-%05d.safetensors", i + 1, shards)));
    }
    Files.writeString(
        target.resolve("diffusion_pytorch_model.safetensors.index.json"),
        index.append("}}").toString());
  }

  static ByteBuffer encode(float[] values, String dtype) {
    ByteBuffer b =
        ByteBuffer.allocate(values.length * (dtype.equals("BF16") ? 2 : 4))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      if (dtype.equals("BF16"))
        b.putShort((short) (Float.floatToRawIntBits(v) >>> 16)); // truncation: exact on decode
      else b.putFloat(v);
    }
    return b.flip();
  }

  static float[] run(NDManager m, UNet2DConditionModel unet) {
    NDArray sample = m.create(new float[2 * 8 * 8 * 8], new Shape(2, 8, 8, 8)).add(0.5f);
    NDArray context = m.ones(new Shape(2, 77, unet.config().crossAttentionDim()));
    return unet.forward(sample, m.create(500f), context, AttentionContext.none(0)).toFloatArray();
  }

  @Test
  void shardedCheckpointLoadsLikeTheSingleFile() throws Exception {
    Path sharded = dir.resolve("unet");
    writeSharded(sharded, 3, "F32");
    try (NDManager m = NDManager.newBaseManager()) {
      float[] single = run(m, UNet2DConditionModel.load(unetDir(), m, DataType.FLOAT32));
      float[] fromShards = run(m, UNet2DConditionModel.load(sharded, m, DataType.FLOAT32));
      assertArrayEquals(single, fromShards);
    }
  }

  @Test
  void bfloat16WeightsAreConvertedInJava() throws Exception {
    Path bf16 = dir.resolve("unet");
    writeSharded(bf16, 1, "BF16");
    try (SafetensorsFile f =
            SafetensorsFile.open(
                bf16.resolve("diffusion_pytorch_model-00001-of-00001.safetensors"));
        SafetensorsFile ref =
            SafetensorsFile.open(unetDir().resolve("diffusion_pytorch_model.safetensors"))) {
      String name = "conv_in.weight";
      assertEquals("BF16", f.entry(name).dtype());
      float[] expected = ref.floats(name), actual = f.floats(name);
      for (int i = 0; i < expected.length; i++) {
        float truncated = Float.intBitsToFloat(Float.floatToRawIntBits(expected[i]) & 0xffff0000);
        assertEquals(truncated, actual[i], 0f, name + "[" + i + "]");
      }
    }
    try (NDManager m = NDManager.newBaseManager()) {
      UNet2DConditionModel unet = UNet2DConditionModel.load(bf16, m, DataType.FLOAT32);
      float[] reference = run(m, UNet2DConditionModel.load(unetDir(), m, DataType.FLOAT32));
      TestVectors.assertClose(reference, run(m, unet), 5e-2, "bf16 weights vs fp32");
    }
  }

  @Test
  void aShardIndexNamingAMissingFileIsReported() throws Exception {
    Path broken = dir.resolve("unet");
    writeSharded(broken, 2, "F32");
    Files.delete(broken.resolve("diffusion_pytorch_model-00002-of-00002.safetensors"));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> ComponentFiles.find(broken));
    assertTrue(
        e.getMessage().contains("00002-of-00002.safetensors, which is missing"), e.getMessage());
  }

  @Test
  void picklesAreRefusedWithAnExplanation() throws Exception {
    Path pickle = dir.resolve("unet");
    Files.createDirectories(pickle);
    Files.writeString(pickle.resolve("diffusion_pytorch_model.bin"), "not really");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> ComponentFiles.find(pickle));
    assertTrue(
        e.getMessage().contains("pickle") && e.getMessage().contains(".safetensors"),
        e.getMessage());
  }

  @Test
  void aTruncatedFileNamesTheTensor() throws Exception {
    Path src = unetDir().resolve("diffusion_pytorch_model.safetensors");
    Path cut = dir.resolve("cut.safetensors");
    byte[] bytes = Files.readAllBytes(src);
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> SafetensorsFile.open(cut));
    assertTrue(
        e.getMessage().contains("cut.safetensors") && e.getMessage().contains("outside the file"),
        e.getMessage());
  }

  @Test
  void halfPrecisionDecodesExactly() {
    Map<Short, Float> cases =
        Map.of(
            (short) 0x3c00,
            1f,
            (short) 0xc000,
            -2f,
            (short) 0x0001,
            0x1p-24f,
            (short) 0x7bff,
            65504f,
            (short) 0x7c00,
            Float.POSITIVE_INFINITY,
            (short) 0x3555,
            0.33325195f);
    cases.forEach(
        (bits, value) ->
            assertEquals(value, Dtypes.halfToFloat(bits), 0f, Integer.toHexString(bits)));
    assertTrue(Float.isNaN(Dtypes.halfToFloat((short) 0x7e00)));
  }
}
