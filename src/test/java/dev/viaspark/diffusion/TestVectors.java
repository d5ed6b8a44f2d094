package dev.viaspark.diffusion;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The reference checkpoint and vectors the parity tests run against: the folder named by the system
 * property {@code viaspark.testvectors} (holding {@code checkpoint/} and {@code vectors/} in the
 * shared layout), or the copy in this project's test resources.
 */
public final class TestVectors {
  public static final String PROPERTY = "viaspark.testvectors";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestVectors() {}

  public static Path root() {
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank()) {
      Path root = Paths.get(p);
      if (!Files.isDirectory(root.resolve("checkpoint"))
          || !Files.isDirectory(root.resolve("vectors"))) {
        throw new IllegalStateException(
            "-D" + PROPERTY + "=" + p + " must hold checkpoint/ and vectors/");
      }
      return root;
    }
    try {
      return Paths.get(
              TestVectors.class.getResource("/testvectors/checkpoint/model_index.json").toURI())
          .getParent()
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path checkpoint() {
    return root().resolve("checkpoint");
  }

  /** {@code vectors/<name>.safetensors}; the caller closes it. */
  public static SafetensorsFile vectors(String name) {
    return SafetensorsFile.open(root().resolve("vectors").resolve(name + ".safetensors"));
  }

  /** {@code vectors/<name>.json}, the sidecar describing the call that produced the vectors. */
  public static JsonNode json(String name) {
    return readJson(root().resolve("vectors").resolve(name + ".json"));
  }

  /**
   * The real CLIP vocabulary folder ({@code clip-vocab/}), or null when this vectors folder has
   * none.
   */
  public static Path clipVocab() {
    Path p = root().resolve("clip-vocab");
    return Files.isDirectory(p) ? p : null;
  }

  public static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** The vectors README's rule: {@code max|a-b| <= tol * max(1, max|expected|)}. */
  public static void assertClose(float[] expected, float[] actual, double tol, String what) {
    if (expected.length != actual.length) {
      fail(what + ": " + actual.length + " values, expected " + expected.length);
    }
    double maxRef = 0, maxDiff = 0;
    int worst = -1;
    for (int i = 0; i < expected.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(expected[i]));
      double d = Math.abs((double) expected[i] - actual[i]);
      if (!(d <= maxDiff)) {
        maxDiff = d;
        worst = i;
      }
    }
    double bound = tol * Math.max(1, maxRef);
    if (!(maxDiff <= bound)) {
      fail(
          String.format(
              "%s: max|diff| %.3g at %d (expected %g, got %g) exceeds %.3g (tol %.1g x max(1, %.3g))",
              what, maxDiff, worst, expected[worst], actual[worst], bound, tol, maxRef));
    }
  }
}
