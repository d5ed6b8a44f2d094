package dev.viaspark.diffusion.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TorchNoise} against what PyTorch's own CPU generator drew ({@code
 * src/test/python/make_torch_randn_vectors.py}; another folder of the same layout with {@code
 * -Dviaspark.torchvectors=DIR}).
 */
class TorchNoiseTest {
  @Test
  void theMersenneTwisterIsTheReferenceOne() {
    // the reference implementation's 10000th output for its default seed, 5489
    Mt19937 mt = new Mt19937(5489);
    for (int i = 0; i < 9999; i++) mt.nextUnsigned();
    assertEquals(4123659995L, mt.nextUnsigned());
  }

  @Test
  void everyDrawOfEverySeedIsBitIdenticalToTorchsAvx2Kernel() {
    List<String> mismatches = compare("avx2");
    assertTrue(mismatches.isEmpty(), "draws that differ from torch's: " + mismatches);
  }

  /** The draws of vectors file {@code randn-KIND} that differ from ours, with how many values. */
  private static List<String> compare(String kind) {
    Path dir = vectorsFolder();
    JsonNode meta = TestVectors.readJson(dir.resolve("randn-" + kind + ".json"));
    List<String> mismatches = new ArrayList<>();
    int draws = 0;
    try (SafetensorsFile expected =
        SafetensorsFile.open(dir.resolve("randn-" + kind + ".safetensors"))) {
      TorchNoise noise = null;
      long seed = Long.MIN_VALUE;
      for (JsonNode d : meta.get("draws")) {
        if (noise == null || d.get("seed").asLong() != seed) {
          seed = d.get("seed").asLong();
          noise = new TorchNoise(seed);
        }
        String name = d.get("name").asText();
        float[] want = expected.floats(name);
        float[] got = noise.next(want.length);
        int differing = 0;
        for (int i = 0; i < want.length; i++) {
          if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) differing++;
        }
        if (differing > 0) {
          mismatches.add(name + " " + d.get("shape") + ": " + differing + "/" + want.length);
        }
        draws++;
      }
    }
    assertTrue(draws > 0, "no draws in " + dir);
    return mismatches;
  }

  @Test
  void theInstructPix2PixPipelinesDrawsAreTorchsForItsSeed() {
    // the shared vectors' euler_ancestral run: generator=torch.Generator().manual_seed(1234)
    try (SafetensorsFile v = TestVectors.vectors("pipeline")) {
      TorchNoise noise = new TorchNoise(1234);
      float[] latents = v.floats("euler_ancestral.noise_latents");
      assertBitIdentical(latents, noise.next(latents.length), "initial latents");
      float[] steps = v.floats("euler_ancestral.noise_steps");
      int per = latents.length;
      for (int s = 0; s < steps.length / per; s++) {
        float[] want = Arrays.copyOfRange(steps, s * per, (s + 1) * per);
        assertBitIdentical(want, noise.next(per), "step " + s);
      }
    }
  }

  private static void assertBitIdentical(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(want[i]),
          Float.floatToRawIntBits(got[i]),
          what + " value " + i + ": " + want[i] + " vs " + got[i]);
    }
  }

  static Path vectorsFolder() {
    String p = System.getProperty("viaspark.torchvectors");
    if (p != null && !p.isBlank()) return Paths.get(p);
    try {
      return Paths.get(TorchNoiseTest.class.getResource("/torch-generator/randn-avx2.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
