package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local latent adaptation: the edit changes the image only where the mask lets it. */
class MaskedEditTest {
  private static final int H = 40;
  private static final int W = 48;
  private static InstructPix2PixPipeline pipeline;

  @BeforeAll
  static void load() {
    pipeline =
        InstructPix2PixPipeline.load(TestVectors.checkpoint(), Device.cpu(), DataType.FLOAT32, 16);
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  @Test
  void anAllWhiteMaskGivesTheUnmaskedEdit() {
    try (NDManager m = NDManager.newBaseManager()) {
      byte[][] plain = edit(m, null);
      byte[][] masked = edit(m, LatentMask.given(m.ones(new Shape(2, 1, H, W)), 0f, 0.5f));
      assertArrayEquals(plain[0], masked[0]);
      assertArrayEquals(plain[1], masked[1]);
    }
  }

  @Test
  void outsideTheMaskEveryPixelIsTheSourcesAndInsideTheEditRuns() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mask = m.zeros(new Shape(2, 1, H, W));
      mask.set(new NDIndex(":, :, :, :16"), 1f); // the left third may change
      byte[][] source = ImageTensors.toRgb(images(m).add(1f).div(2f));
      byte[][] plain = edit(m, null);
      byte[][] masked = edit(m, LatentMask.given(mask, 0f, 0.5f));
      for (int b = 0; b < 2; b++) {
        int changedInside = 0;
        for (int y = 0; y < H; y++) {
          for (int x = 0; x < W; x++) {
            for (int c = 0; c < 3; c++) {
              int p = (y * W + x) * 3 + c;
              if (x >= 16) assertEquals(source[b][p], masked[b][p], "outside at " + x + "," + y);
              else if (masked[b][p] != source[b][p]) changedInside++;
            }
          }
        }
        assertTrue(changedInside > H * 16, "the edit changed " + changedInside + " values inside");
      }
      // the pull outside reaches the edit inside: it is not the unmasked edit cut out
      int differ = 0;
      for (int p = 0; p < H * 16 * 3; p++) if (plain[0][p] != masked[0][p]) differ++;
      assertTrue(differ > 0);
    }
  }

  @Test
  void aFoundMaskKeepsSomePixelsExactlyAndEditsOthers() {
    try (NDManager m = NDManager.newBaseManager()) {
      byte[][] source = ImageTensors.toRgb(images(m).add(1f).div(2f));
      assertKeepsSomeAndChangesSome(source, edit(m, LatentMask.found(2, 0.5f, false, 0f, 0.5f)));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  pipeline.edit(
                      m,
                      new EditCall(
                          images(m),
                          List.of("make it snowy"),
                          "",
                          4,
                          1f,
                          1f,
                          null,
                          new SeededNoise(9),
                          null,
                          AttentionHook.NONE,
                          LatentMask.found(2, 0.5f, false, 0f, 0.5f)),
                      null));
      assertTrue(e.getMessage().contains("guidance"), e.getMessage());
    }
  }

  @Test
  void aMaskFoundOnTheNoisedSourceKeepsSomePixelsAndDiffersFromOneFoundAlongTheEdit() {
    try (NDManager m = NDManager.newBaseManager()) {
      byte[][] source = ImageTensors.toRgb(images(m).add(1f).div(2f));
      LatentMask along = LatentMask.found(2, 0.5f, false, 0f, 0.5f);
      byte[][] probed = edit(m, along.probing(0.5f));
      assertKeepsSomeAndChangesSome(source, probed);
      assertArrayEquals(probed[0], edit(m, along.probing(0.5f))[0], "deterministic");
      assertTrue(!Arrays.equals(probed[0], edit(m, along)[0]), "the probe finds its own mask");
      assertThrows(IllegalArgumentException.class, () -> along.probing(1f));
      assertThrows(
          IllegalArgumentException.class,
          () -> LatentMask.attending(List.of("snowy"), 2, 0.5f, true, 0f, 0.5f).probing(0.5f));
    }
  }

  @Test
  void aMaskFoundByDifferencesWeighedByAttentionKeepsSomePixelsAndIsItsOwn() {
    try (NDManager m = NDManager.newBaseManager()) {
      byte[][] source = ImageTensors.toRgb(images(m).add(1f).div(2f));
      LatentMask plain = LatentMask.found(2, 0.5f, false, 0f, 0.5f);
      byte[][] weighed = edit(m, plain.weighedByAttention());
      assertKeepsSomeAndChangesSome(source, weighed);
      assertTrue(!Arrays.equals(weighed[0], edit(m, plain)[0]), "the weights move the mask");
      assertThrows(IllegalArgumentException.class, () -> plain.probing(0.5f).weighedByAttention());
      assertThrows(
          IllegalArgumentException.class,
          () ->
              LatentMask.attending(List.of("snowy"), 2, 0.5f, true, 0f, 0.5f).weighedByAttention());
    }
  }

  @Test
  void aMaskOfTheWrongSizeIsRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> edit(m, LatentMask.given(m.ones(new Shape(2, 1, H, W + 8)), 0f, 0.5f)));
      assertTrue(e.getMessage().contains("mask"), e.getMessage());
    }
  }

  @Test
  void theSourcesWeightRampsOverTheGivenStepsAfterTheStart() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mask = m.ones(new Shape(1, 1, 8, 8));
      LatentMask ramp = LatentMask.given(mask, 0f, 0.5f);
      assertEquals(0.2f, ramp.sourceWeight(0, 10), 1e-6f);
      assertEquals(0.8f, ramp.sourceWeight(3, 10), 1e-6f);
      assertEquals(1f, ramp.sourceWeight(4, 10), 0f);
      assertEquals(1f, ramp.sourceWeight(9, 10), 0f);
      LatentMask late = LatentMask.given(mask, 0.2f, 0f);
      assertEquals(0f, late.sourceWeight(1, 10), 0f);
      assertEquals(1f, late.sourceWeight(2, 10), 0f);
      assertThrows(IllegalArgumentException.class, () -> LatentMask.given(mask, 0f, 1.5f));
    }
  }

  private static NDArray images(NDManager m) {
    return new SeededNoise(3).next(m, new Shape(2, 3, H, W)).tanh();
  }

  @Test
  void aMaskFoundByAttentionKeepsSomePixelsAndFollowsItsWords() {
    try (NDManager m = NDManager.newBaseManager()) {
      byte[][] source = ImageTensors.toRgb(images(m).add(1f).div(2f));
      byte[][] snowy = edit(m, LatentMask.attending(List.of("snowy"), 2, 0.5f, false, 0f, 0.5f));
      assertKeepsSomeAndChangesSome(source, snowy);
      assertTrue(
          Arrays.deepEquals(
              snowy, edit(m, LatentMask.attending(List.of("snowy"), 2, 0.5f, false, 0f, 0.5f))),
          "deterministic");
    }
  }

  @Test
  void aFoundMaskSnappedToSegmentsKeepsOrEditsEachOfTheSourcesRegionsWhole() {
    try (NDManager m = NDManager.newBaseManager()) {
      // two flat colours split at x = 20, in the middle of a latent (8 pixels wide)
      NDArray halves = m.full(new Shape(2, 3, H, W), -0.6f);
      halves.set(new NDIndex(":, :, :, 20:"), 0.7f);
      byte[][] source = ImageTensors.toRgb(halves.add(1f).div(2f));
      // a small core: one region holds most of it
      LatentMask found = LatentMask.found(2, 0.9f, true, 0f, 0.5f);
      byte[][] snapped = edit(m, halves, found.snappedToSegments(true));
      for (int b = 0; b < 2; b++) {
        int[] kept = new int[2];
        for (int p = 0; p < H * W; p++) {
          boolean same = true;
          for (int c = 0; c < 3; c++) same &= source[b][p * 3 + c] == snapped[b][p * 3 + c];
          if (same) kept[p % W < 20 ? 0 : 1]++;
        }
        int[] size = {H * 20, H * (W - 20)};
        for (int r = 0; r < 2; r++) {
          assertTrue(
              kept[r] == size[r] || kept[r] < size[r] / 20,
              "image " + b + ", region " + r + ": " + kept[r] + " of " + size[r] + " kept");
        }
        assertTrue(kept[0] + kept[1] > 0, "image " + b + " keeps a region");
      }
      assertTrue(
          !Arrays.deepEquals(snapped, edit(m, halves, found)),
          "the margin mode draws another mask");
      assertThrows(
          IllegalArgumentException.class,
          () -> LatentMask.given(halves, 0f, 0.5f).snappedToSegments(true));
    }
  }

  private static void assertKeepsSomeAndChangesSome(byte[][] source, byte[][] edited) {
    for (int b = 0; b < source.length; b++) {
      int kept = 0, changed = 0;
      for (int p = 0; p < source[b].length; p++) {
        if (source[b][p] == edited[b][p]) kept++;
        else changed++;
      }
      assertTrue(kept > 0 && changed > 0, "image " + b + ": " + kept + " kept, " + changed);
    }
  }

  private static byte[][] edit(NDManager m, LatentMask mask) {
    return edit(m, images(m), mask);
  }

  private static byte[][] edit(NDManager m, NDArray images, LatentMask mask) {
    EditCall call =
        new EditCall(
            images,
            List.of("make it snowy"),
            "",
            4,
            7.5f,
            1.5f,
            "EulerAncestralDiscreteScheduler",
            new SeededNoise(9),
            null,
            AttentionHook.NONE,
            mask);
    return ImageTensors.toRgb(pipeline.edit(m, call, null));
  }
}
