package dev.viaspark.diffusion.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.weights.CheckpointException;
import dev.viaspark.diffusion.weights.ComponentFiles;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import dev.viaspark.diffusion.weights.TensorEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClipTextModel against transformers 4.33 (float32) on the reference checkpoint's text encoder. */
class ClipTextModelParityTest {
  private static final double TOL = 1e-4;
  private static final String FINAL_NORM_WEIGHT = "text_model.final_layer_norm.weight";
  private static final String TOKEN_EMBEDDING = "text_model.embeddings.token_embedding.weight";

  @TempDir Path tmp;

  private static Path textEncoderDir() {
    return TestVectors.checkpoint().resolve("text_encoder");
  }

  @Test
  void everyOutputMatchesTransformers() {
    try (NDManager manager = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("text_encoder")) {
      ClipTextModel model = ClipTextModel.load(textEncoderDir(), manager, DataType.FLOAT32);
      try (NDArray ids = inputIds(manager, vectors);
          ClipTextOutput out = model.forward(ids)) {
        // in computation order, so that the first failure points at the module that differs
        int layers = model.config().numHiddenLayers();
        long stored =
            vectors.tensors().keySet().stream().filter(n -> n.startsWith("hidden_states.")).count();
        assertEquals(layers + 1, stored, "hidden_states.* in the vectors");
        assertEquals(layers + 1, out.hiddenStates().size());
        for (int i = 0; i <= layers; i++)
          check(vectors, "hidden_states." + i, out.hiddenStates().get(i));
        check(vectors, "last_hidden_state", out.lastHiddenState());
        check(vectors, "pooler_output", out.poolerOutput());
      }
    }
  }

  @Test
  void encodeGivesThePromptEmbeddings() {
    try (NDManager manager = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("text_encoder")) {
      ClipTextModel model = ClipTextModel.load(textEncoderDir(), manager, DataType.FLOAT32);
      long[] shape = vectors.entry("input_ids").shape();
      long[] flat = vectors.longs("input_ids");
      int[][] ids = new int[(int) shape[0]][(int) shape[1]];
      for (int i = 0; i < flat.length; i++)
        ids[i / ids[0].length][i % ids[0].length] = Math.toIntExact(flat[i]);
      try (NDManager caller = NDManager.newBaseManager();
          NDArray embeds = model.encode(caller, ids)) {
        assertEquals(caller, embeds.getManager());
        check(vectors, "last_hidden_state", embeds);
      }
    }
  }

  @Test
  void float16WeightsAreConvertedOnLoad() throws IOException {
    Path dir = copyConfig(tmp.resolve("text_encoder"));
    SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
    for (Path file : ComponentFiles.find(textEncoderDir())) {
      try (SafetensorsFile source = SafetensorsFile.open(file)) {
        for (TensorEntry e : source.tensors().values()) {
          if (e.dtype().startsWith("F") || e.dtype().equals("BF16")) {
            writer.addFloats(e.name(), "F16", e.shape(), source.floats(e.name()));
          } else {
            writer.add(e.name(), e.dtype(), e.shape(), source.bytes(e.name()));
          }
        }
      }
    }
    Path written = dir.resolve("model.fp16.safetensors");
    writer.write(written);
    try (SafetensorsFile check = SafetensorsFile.open(written)) {
      assertEquals("F16", check.entry(FINAL_NORM_WEIGHT).dtype());
      assertEquals("pt", check.metadata().get("format"));
    }
    try (NDManager manager = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("text_encoder")) {
      ClipTextModel model = ClipTextModel.load(dir, manager, DataType.FLOAT32);
      try (NDArray ids = inputIds(manager, vectors);
          ClipTextOutput out = model.forward(ids)) {
        assertEquals(DataType.FLOAT32, out.lastHiddenState().getDataType());
        check(vectors, "last_hidden_state", out.lastHiddenState(), 1e-2);
      }
    }
  }

  @Test
  void aMissingAndAMisShapedTensorAreReportedTogether() throws IOException {
    Path dir = copyConfig(tmp.resolve("text_encoder"));
    SafetensorsWriter writer = new SafetensorsWriter();
    for (Path file : ComponentFiles.find(textEncoderDir())) {
      try (SafetensorsFile source = SafetensorsFile.open(file)) {
        for (TensorEntry e : source.tensors().values()) {
          if (e.name().equals(FINAL_NORM_WEIGHT)) continue;
          long[] shape =
              e.name().equals(TOKEN_EMBEDDING) ? new long[] {e.elementCount()} : e.shape();
          writer.add(e.name(), e.dtype(), shape, source.bytes(e.name()));
        }
      }
    }
    writer.write(dir.resolve("model.safetensors"));
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> ClipTextModel.load(dir, manager, DataType.FLOAT32));
      assertTrue(
          e.getMessage().contains("missing") && e.getMessage().contains(FINAL_NORM_WEIGHT),
          e.getMessage());
      assertTrue(
          e.getMessage().contains("mis-shaped") && e.getMessage().contains(TOKEN_EMBEDDING),
          e.getMessage());
    }
  }

  @Test
  void aMissingConfigKeyIsNamedWithItsFile() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode config =
        (ObjectNode) json.readTree(textEncoderDir().resolve("config.json").toFile());
    config.remove("num_attention_heads");
    Path file = tmp.resolve("config.json");
    json.writeValue(file.toFile(), config);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClipTextConfig.read(file));
    assertTrue(
        e.getMessage().contains(file.toString()) && e.getMessage().contains("num_attention_heads"),
        e.getMessage());
  }

  private static Path copyConfig(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(textEncoderDir().resolve("config.json"), dir.resolve("config.json"));
    return dir;
  }

  private static NDArray inputIds(NDManager manager, SafetensorsFile vectors) {
    return manager.create(
        vectors.longs("input_ids"), new Shape(vectors.entry("input_ids").shape()));
  }

  private static void check(SafetensorsFile vectors, String name, NDArray actual) {
    check(vectors, name, actual, TOL);
  }

  private static void check(SafetensorsFile vectors, String name, NDArray actual, double tol) {
    assertArrayEquals(vectors.entry(name).shape(), actual.getShape().getShape(), name + " shape");
    float[] expected = vectors.floats(name);
    float[] values = actual.toFloatArray();
    TestVectors.assertClose(expected, values, tol, name);
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs((double) expected[i] - values[i]));
    System.out.printf("text_encoder %-20s max|diff| %.3g%n", name, maxDiff);
  }
}
