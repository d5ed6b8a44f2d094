package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code viaspark edit-image} and {@code viaspark bench}, as a user runs them. */
class EngineCliTest {
  static final File MODEL = DiffusionEditTest.MODEL;
  static final File IMAGE = new File(MODEL.getParentFile(), "vectors/input_image.png");
  @TempDir File dir;

  static CliTest.Result run(String... args) {
    return CliTest.run(args);
  }

  @Test
  void editImageWritesTheEditedImageDeterministically() throws Exception {
    File a = new File(dir, "a.png"), b = new File(dir, "sub/b.png");
    String[] common = {
      "edit-image",
      "--model",
      MODEL.getPath(),
      "--input",
      IMAGE.getPath(),
      "--instruction",
      "turn the cat into a tiger",
      "--steps",
      "3",
      "--seed",
      "7",
      "--output"
    };
    CliTest.Result r = run(concat(common, a.getPath()));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote " + a.getAbsolutePath()), r.out());
    assertEquals(0, run(concat(common, b.getPath())).code());
    assertTrue(
        Arrays.equals(Files.readAllBytes(a.toPath()), Files.readAllBytes(b.toPath())),
        "same seed, same image");
    assertFalse(Arrays.equals(Files.readAllBytes(a.toPath()), Files.readAllBytes(IMAGE.toPath())));
  }

  @Test
  void editImageWithTorchsGeneratorGivesDiffusersImageForTheSameSeed() throws Exception {
    // the reference run: diffusers with generator=torch.Generator().manual_seed(1234), 10 steps,
    // guidance 7.5 / 1.5, the checkpoint's own Euler ancestral scheduler
    File out = new File(dir, "torch.png");
    CliTest.Result r =
        run(
            "edit-image",
            "--model",
            MODEL.getPath(),
            "--input",
            IMAGE.getPath(),
            "--instruction",
            "turn the cat into a tiger",
            "--steps",
            "10",
            "--guidance",
            "7.5",
            "--image-guidance",
            "1.5",
            "--seed",
            "1234",
            "--set",
            "seed.generator=torch",
            "--output",
            out.getPath());
    assertEquals(0, r.code(), r.err());
    BufferedImage image = ImageIO.read(out);
    long[] expected;
    try (SafetensorsFile v =
        SafetensorsFile.open(
            new File(MODEL.getParentFile(), "vectors/pipeline.safetensors").toPath())) {
      expected = v.longs("euler_ancestral.image_uint8_hwc");
    }
    assertEquals(expected.length, image.getWidth() * image.getHeight() * 3);
    int maxDiff = 0;
    for (int y = 0, k = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        for (int shift = 16; shift >= 0; shift -= 8) {
          maxDiff = Math.max(maxDiff, (int) Math.abs(((rgb >> shift) & 0xff) - expected[k++]));
        }
      }
    }
    assertTrue(maxDiff <= 1, "image differs from diffusers' by up to " + maxDiff + " codes");
  }

  @Test
  void editImageErrorsNameTheProblem() {
    CliTest.Result noModel =
        run("edit-image", "--input", IMAGE.getPath(), "--instruction", "x", "--output", "o.png");
    assertEquals(1, noModel.code());
    assertTrue(noModel.err().contains("--model is required"), noModel.err());
    CliTest.Result badModel =
        run(
            "edit-image",
            "--model",
            dir.getPath(),
            "--input",
            IMAGE.getPath(),
            "--instruction",
            "x",
            "--output",
            new File(dir, "o.png").getPath());
    assertEquals(1, badModel.code());
    assertTrue(
        badModel.err().contains("model.path") && badModel.err().contains("no unet/"),
        badModel.err());
    CliTest.Result badImage =
        run(
            "edit-image",
            "--model",
            MODEL.getPath(),
            "--input",
            new File(dir, "none.png").getPath(),
            "--instruction",
            "x",
            "--output",
            new File(dir, "o.png").getPath());
    assertEquals(1, badImage.code());
    assertTrue(badImage.err().contains("none.png: no such image"), badImage.err());
    CliTest.Result badSteps =
        run(
            "edit-image",
            "--model",
            MODEL.getPath(),
            "--input",
            IMAGE.getPath(),
            "--instruction",
            "x",
            "--steps",
            "0",
            "--output",
            new File(dir, "o.png").getPath());
    assertEquals(1, badSteps.code());
    assertTrue(badSteps.err().contains("edit.steps"), badSteps.err());
  }

  @Test
  void benchUnetPrintsTheMedianLast() {
    CliTest.Result r =
        run(
            "bench",
            "unet",
            "--unet-config",
            new File(MODEL, "unet/config.json").getPath(),
            "--height",
            "8",
            "--width",
            "8",
            "--batch",
            "1",
            "--iters",
            "2",
            "--warmup",
            "0");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertTrue(lines[lines.length - 1].matches("median_ms=[0-9]+\\.[0-9]"), r.out());
    assertEquals(1, run("bench", "unet").code());
    assertEquals(1, run("bench", "unet", "--unet-config", "/no/such.json").code());
  }

  @Test
  void benchPipelineTimesEveryStep() {
    CliTest.Result r =
        run(
            "bench",
            "pipeline",
            "--model",
            MODEL.getPath(),
            "--height",
            "64",
            "--width",
            "64",
            "--steps",
            "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("step 1:"), r.out());
    assertTrue(r.out().strip().matches("(?s).*total_ms=[0-9.]+"), r.out());
  }

  @Test
  void benchViaComparesPerFrameAndGatherAndSwapOnTheSameFrames() {
    CliTest.Result r =
        run(
            "bench",
            "via",
            "--model",
            MODEL.getPath(),
            "--size",
            "64x48",
            "--frames",
            "5",
            "--set",
            "edit.steps=2",
            "--set",
            "via.swap-steps=2",
            "--set",
            "via.anchors=2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("anchors [0, 4]"), r.out());
    for (String key :
        new String[] {"gather_s=", "bank_bytes=", "per_frame_s_per_frame=", "via_s_per_frame="}) {
      assertTrue(r.out().contains("\n" + key), key + " in " + r.out());
    }
    assertTrue(r.out().contains("(4 pairs)"), r.out());
    assertTrue(r.out().strip().matches("(?s).*via_over_per_frame=[0-9.]+"), r.out());
    CliTest.Result bad =
        run("bench", "via", "--model", MODEL.getPath(), "--set", "via.swap-steps=20");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("via.swap-steps"), bad.err());
  }

  @Test
  void randomUnetWritesAFolderTheEngineLoads() {
    File config = new File(dir, "unet.json");
    File out = new File(dir, "ckpt");
    try {
      String json =
          Files.readString(new File(MODEL, "unet/config.json").toPath())
              .replaceAll("\"layers_per_block\": 1", "\"layers_per_block\": 2");
      Files.writeString(config.toPath(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CliTest.Result r =
        run(
            "bench",
            "random-unet",
            "--from",
            MODEL.getPath(),
            "--unet-config",
            config.getPath(),
            "--output",
            out.getPath());
    assertEquals(0, r.code(), r.err());
    assertTrue(new File(out, "unet/diffusion_pytorch_model.safetensors").isFile());
    assertTrue(new File(out, "vae/config.json").isFile());
    CliTest.Result edit =
        run(
            "bench",
            "pipeline",
            "--model",
            out.getPath(),
            "--height",
            "32",
            "--width",
            "32",
            "--steps",
            "1");
    assertEquals(0, edit.code(), edit.err());
    CliTest.Result again =
        run(
            "bench",
            "random-unet",
            "--from",
            MODEL.getPath(),
            "--unet-config",
            config.getPath(),
            "--output",
            out.getPath());
    assertEquals(1, again.code(), "an existing folder is not overwritten");
    assertTrue(again.err().contains("exists already"), again.err());
  }

  static String[] concat(String[] a, String b) {
    String[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
