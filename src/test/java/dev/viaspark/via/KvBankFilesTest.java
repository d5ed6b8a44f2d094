package dev.viaspark.via;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.KeyValue;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank's folder format round-trips exactly, is written atomically, and refuses corrupt or
 * foreign folders.
 */
class KvBankFilesTest {
  @TempDir Path dir;
  static final List<String> LAYERS =
      List.of(
          "down_blocks.0.attentions.0.transformer_blocks.0.attn1",
          "up_blocks.3.attentions.2.transformer_blocks.0.attn1");

  static InMemoryKvBank bank(NDManager parent, int steps) {
    NDManager m = parent.newSubManager();
    SeededNoise noise = new SeededNoise(5);
    List<Map<String, KeyValue>> all = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      Map<String, KeyValue> step = new LinkedHashMap<>();
      for (int l = 0; l < LAYERS.size(); l++) {
        Shape s = new Shape(3, (l + 1) * 8, 16);
        step.put(LAYERS.get(l), new KeyValue(noise.next(m, s), noise.next(m, s)));
      }
      all.add(step);
    }
    return new InMemoryKvBank(m, all, 3, new int[] {0, 5, 9});
  }

  @Test
  void float32RoundTripsExactlyStepByStep() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        InMemoryKvBank written = bank(m, 3)) {
      Path folder = dir.resolve("bank");
      KvBankFiles.write(written, folder, DataType.FLOAT32);
      try (Stream<Path> s = Files.list(dir)) {
        assertEquals(List.of(folder), s.toList(), "no temporary folder left");
      }
      try (FileKvBank read = FileKvBank.open(folder, m, DataType.FLOAT32)) {
        assertEquals(3, read.steps());
        assertEquals(3, read.branches());
        assertArrayEquals(new int[] {0, 5, 9}, read.anchorFrames());
        assertEquals(LAYERS, read.layers());
        for (int t = 0; t < 3; t++) {
          for (String layer : LAYERS) {
            assertArrayEquals(
                written.get(t, layer).key().toFloatArray(),
                read.get(t, layer).key().toFloatArray());
            assertArrayEquals(
                written.get(t, layer).value().toFloatArray(),
                read.get(t, layer).value().toFloatArray());
          }
        }
        assertEquals(null, read.get(3, LAYERS.get(0)));
      }
    }
  }

  @Test
  void float16BanksHoldTheFloat16Values() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        InMemoryKvBank written = bank(m, 1)) {
      Path folder = dir.resolve("bank16");
      KvBankFiles.write(written, folder, DataType.FLOAT16);
      try (FileKvBank read = FileKvBank.open(folder, m, DataType.FLOAT16)) {
        KeyValue kv = read.get(0, LAYERS.get(1));
        assertEquals(DataType.FLOAT16, kv.key().getDataType());
        float[] expected =
            written
                .get(0, LAYERS.get(1))
                .key()
                .toType(DataType.FLOAT16, false)
                .toType(DataType.FLOAT32, false)
                .toFloatArray();
        assertArrayEquals(expected, kv.key().toType(DataType.FLOAT32, false).toFloatArray());
      }
    }
  }

  @Test
  void corruptAndMissingBanksFailWithTheirPath() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        InMemoryKvBank written = bank(m, 2)) {
      Path folder = dir.resolve("bank");
      KvBankFiles.write(written, folder, DataType.FLOAT32);
      Path step1 = folder.resolve("step-001.safetensors");
      byte[] bytes = Files.readAllBytes(step1);
      bytes[bytes.length - 3] ^= 0x40;
      Files.write(step1, bytes);
      try (FileKvBank read = FileKvBank.open(folder, m, DataType.FLOAT32)) {
        read.get(0, LAYERS.get(0));
        CorruptBankException e =
            assertThrows(CorruptBankException.class, () -> read.get(1, LAYERS.get(0)));
        assertTrue(
            e.getMessage().contains("step-001.safetensors") && e.getMessage().contains("checksum"),
            e.getMessage());
      }
      CorruptBankException none =
          assertThrows(
              CorruptBankException.class,
              () -> FileKvBank.open(dir.resolve("nothing"), m, DataType.FLOAT32));
      assertTrue(none.getMessage().contains("manifest.json missing"), none.getMessage());
      assertThrows(
          IOException.class,
          () -> KvBankFiles.write(written, folder, DataType.FLOAT32),
          "an existing bank is never overwritten in place");
    }
  }

  @Test
  void theFirstStepsThatFitStayInMemoryAndTheRestStream() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        InMemoryKvBank written = bank(m, 3)) {
      Path folder = dir.resolve("bank");
      KvBankFiles.write(written, folder, DataType.FLOAT32);
      long step0 = Files.size(folder.resolve("step-000.safetensors"));
      long step1 = Files.size(folder.resolve("step-001.safetensors"));
      try (FileKvBank all = FileKvBank.open(folder, m, DataType.FLOAT32, Long.MAX_VALUE);
          FileKvBank two = FileKvBank.open(folder, m, DataType.FLOAT32, step0 + step1);
          FileKvBank none = FileKvBank.open(folder, m, DataType.FLOAT32)) {
        assertEquals(3, all.residentSteps());
        assertEquals(2, two.residentSteps());
        assertEquals(0, none.residentSteps());
        for (int batch = 0; batch < 2; batch++) {
          for (int t = 0; t < 3; t++) {
            for (String layer : LAYERS) {
              float[] expected = written.get(t, layer).value().toFloatArray();
              for (FileKvBank read : List.of(all, two, none)) {
                assertArrayEquals(
                    expected,
                    read.get(t, layer).value().toFloatArray(),
                    "step " + t + ", batch " + batch);
              }
            }
          }
        }
        // resident steps are read once: deleting their files after the first pass does not matter
        // to them
        Files.delete(folder.resolve("step-000.safetensors"));
        assertArrayEquals(
            written.get(0, LAYERS.get(0)).key().toFloatArray(),
            all.get(0, LAYERS.get(0)).key().toFloatArray());
        assertThrows(
            CorruptBankException.class,
            () -> none.get(0, LAYERS.get(0)),
            "a streamed step is re-read");
      }
    }
  }
}
