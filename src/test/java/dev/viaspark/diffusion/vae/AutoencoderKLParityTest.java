package dev.viaspark.diffusion.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.weights.CheckpointException;
import dev.viaspark.diffusion.weights.ComponentFiles;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import dev.viaspark.diffusion.weights.TensorEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AutoencoderKL against diffusers 0.24 (float32) on the reference checkpoint's VAE. */
class AutoencoderKLParityTest {
  private static final double TOL = 1e-4;
  private static final String ENCODER_PREFIX = "encoder_intermediate.";
  private static final String DECODER_PREFIX = "decoder_intermediate.";
  private static final Pattern LEGACY_ATTENTION =
      Pattern.compile("(\\.attentions\\.\\d+\\.)(query|key|value|proj_attn)\\.");
  private static final Pattern CURRENT_ATTENTION =
      Pattern.compile("(\\.attentions\\.\\d+\\.)(to_q|to_k|to_v|to_out\\.0)\\.");
  private static final List<String> LEGACY_NAMES = List.of("query", "key", "value", "proj_attn");
  private static final List<String> CURRENT_NAMES = List.of("to_q", "to_k", "to_v", "to_out.0");
  private static final String MISSING = "decoder.conv_out.bias";
  private static final String MIS_SHAPED = "encoder.conv_in.weight";

  @TempDir Path tmp;

  private static Path vaeDir() {
    return TestVectors.checkpoint().resolve("vae");
  }

  @Test
  void preprocessingMatchesTheImageProcessor() {
    try (NDManager manager = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("vae");
        NDArray image = inputImage(manager, vectors)) {
      check(vectors, "image", image);
    }
  }

  @Test
  void encodeMatchesDiffusersModuleByModule() {
    try (NDManager manager = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("vae")) {
      AutoencoderKL vae = AutoencoderKL.load(vaeDir(), manager, DataType.FLOAT32);
      Map<String, Output> outputs = new LinkedHashMap<>();
      try (NDArray image = inputImage(manager, vectors);
          DiagonalGaussianDistribution posterior = vae.encode(image, recorder(outputs))) {
        checkIntermediates(vectors, ENCODER_PREFIX, outputs);
        check(vectors, "moments", posterior.parameters());
        check(vectors, "mean", posterior.mean());
        check(vectors, "logvar", posterior.logvar());
        check(vectors, "std", posterior.std());
        check(vectors, "var", posterior.var());
        try (NDArray latents = vae.encodeMean(image)) {
          check(vectors, "image_latents", latents);
        }
      }
    }
  }

  @Test
  void decodeMatchesDiffusersModuleByModule() {
    try (NDManager manager = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("vae")) {
      AutoencoderKL vae = AutoencoderKL.load(vaeDir(), manager, DataType.FLOAT32);
      assertEquals(TestVectors.json("vae").get("scaling_factor").floatValue(), vae.scalingFactor());
      Map<String, Output> outputs = new LinkedHashMap<>();
      try (NDArray latents = tensor(manager, vectors, "decode_latents");
          NDArray z = latents.div(vae.scalingFactor());
          NDArray decoded = vae.decode(z, recorder(outputs))) {
        check(vectors, "decode_input", z);
        checkIntermediates(vectors, DECODER_PREFIX, outputs);
        check(vectors, "decoded", decoded);
      }
      try (NDArray mean = tensor(manager, vectors, "mean");
          NDArray decoded = vae.decode(mean)) {
        check(vectors, "roundtrip_decode_of_mode", decoded);
      }
    }
  }

  /**
   * The checkpoint renamed to the other mid-attention naming (to_q/to_k/to_v/to_out.0 or
   * query/key/value/proj_attn).
   */
  @Test
  void theOtherAttentionNamingGivesTheSameOutput() throws IOException {
    Path dir = copyConfig(tmp.resolve("vae"));
    SafetensorsWriter writer = new SafetensorsWriter();
    int renamed = copyTensors(writer, AutoencoderKLParityTest::otherAttentionName, name -> false);
    assertTrue(renamed > 0, "the checkpoint has no mid-attention keys to rename");
    writer.write(dir.resolve("diffusion_pytorch_model.safetensors"));
    try (NDManager manager = NDManager.newBaseManager();
        SafetensorsFile vectors = TestVectors.vectors("vae")) {
      AutoencoderKL original = AutoencoderKL.load(vaeDir(), manager, DataType.FLOAT32);
      AutoencoderKL other = AutoencoderKL.load(dir, manager, DataType.FLOAT32);
      try (NDArray image = inputImage(manager, vectors);
          NDArray expected = original.encodeMean(image);
          NDArray latents = other.encodeMean(image);
          NDArray z = tensor(manager, vectors, "decode_input");
          NDArray expectedImage = original.decode(z);
          NDArray decoded = other.decode(z)) {
        assertArrayEquals(expected.toFloatArray(), latents.toFloatArray());
        assertArrayEquals(expectedImage.toFloatArray(), decoded.toFloatArray());
        check(vectors, "image_latents", latents);
        check(vectors, "decoded", decoded);
      }
    }
  }

  @Test
  void aMissingAndAMisShapedTensorAreReportedTogether() throws IOException {
    Path dir = copyConfig(tmp.resolve("vae"));
    SafetensorsWriter writer = new SafetensorsWriter();
    copyTensors(writer, name -> name.equals(MISSING) ? null : name, MIS_SHAPED::equals);
    writer.write(dir.resolve("diffusion_pytorch_model.safetensors"));
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> AutoencoderKL.load(dir, manager, DataType.FLOAT32));
      assertTrue(
          e.getMessage().contains("missing") && e.getMessage().contains(MISSING), e.getMessage());
      assertTrue(
          e.getMessage().contains("mis-shaped") && e.getMessage().contains(MIS_SHAPED),
          e.getMessage());
    }
  }

  private static String otherAttentionName(String name) {
    Matcher legacy = LEGACY_ATTENTION.matcher(name);
    if (legacy.find()) {
      return legacy.replaceFirst(
          "$1" + CURRENT_NAMES.get(LEGACY_NAMES.indexOf(legacy.group(2))) + ".");
    }
    Matcher current = CURRENT_ATTENTION.matcher(name);
    if (current.find()) {
      return current.replaceFirst(
          "$1" + LEGACY_NAMES.get(CURRENT_NAMES.indexOf(current.group(2))) + ".");
    }
    return name;
  }

  /** A module's output as the probe saw it. */
  private record Output(long[] shape, float[] values) {}

  private static BiConsumer<String, NDArray> recorder(Map<String, Output> outputs) {
    return (module, out) ->
        outputs.put(module, new Output(out.getShape().getShape(), out.toFloatArray()));
  }

  /**
   * Copies every tensor of the checkpoint's VAE into one file.
   *
   * @param rename the stored name of a tensor, or null to leave it out
   * @param flatten whether to store a tensor flattened to one dimension (mis-shaped)
   * @return how many tensors were renamed
   */
  private static int copyTensors(
      SafetensorsWriter writer, UnaryOperator<String> rename, Predicate<String> flatten) {
    int renamed = 0;
    for (Path file : ComponentFiles.find(vaeDir())) {
      try (SafetensorsFile source = SafetensorsFile.open(file)) {
        for (TensorEntry e : source.tensors().values()) {
          String name = rename.apply(e.name());
          if (name == null) continue;
          if (!name.equals(e.name())) renamed++;
          long[] shape = flatten.test(e.name()) ? new long[] {e.elementCount()} : e.shape();
          writer.add(name, e.dtype(), shape, source.bytes(e.name()));
        }
      }
    }
    return renamed;
  }

  private static Path copyConfig(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(vaeDir().resolve("config.json"), dir.resolve("config.json"));
    return dir;
  }

  private static NDArray inputImage(NDManager manager, SafetensorsFile vectors) {
    long[] hwc = vectors.entry("image_uint8_hwc").shape();
    assertEquals(3, hwc[2]);
    long[] values = vectors.longs("image_uint8_hwc");
    byte[] rgb = new byte[values.length];
    for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) values[i];
    return VaeImageProcessor.preprocess(manager, rgb, (int) hwc[0], (int) hwc[1]);
  }

  private static NDArray tensor(NDManager manager, SafetensorsFile vectors, String name) {
    return manager.create(vectors.floats(name), new Shape(vectors.entry(name).shape()));
  }

  /**
   * Every {@code <prefix><module path>} tensor of the vectors against the probe's output of that
   * module, in the order the modules ran (so the first failure names the first module that
   * differs).
   */
  private static void checkIntermediates(
      SafetensorsFile vectors, String prefix, Map<String, Output> outputs) {
    Set<String> expected = new TreeSet<>();
    for (String name : vectors.tensors().keySet()) {
      if (name.startsWith(prefix)) expected.add(name.substring(prefix.length()));
    }
    assertFalse(expected.isEmpty(), "no " + prefix + "* tensors in the vectors");
    assertTrue(
        outputs.keySet().containsAll(expected),
        "modules with vectors but no output: "
            + expected.stream().filter(m -> !outputs.containsKey(m)).toList()
            + "; the probe saw "
            + outputs.keySet());
    outputs.forEach(
        (module, out) -> {
          if (expected.contains(module)) check(vectors, prefix + module, out.shape(), out.values());
        });
  }

  private static void check(SafetensorsFile vectors, String name, NDArray actual) {
    check(vectors, name, actual.getShape().getShape(), actual.toFloatArray());
  }

  private static void check(SafetensorsFile vectors, String name, long[] shape, float[] actual) {
    assertArrayEquals(vectors.entry(name).shape(), shape, name + " shape");
    float[] expected = vectors.floats(name);
    TestVectors.assertClose(expected, actual, TOL, name);
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs((double) expected[i] - actual[i]));
    System.out.printf("vae %-45s max|diff| %.3g%n", name, maxDiff);
  }
}
