package dev.viaspark.diffusion.pipeline;

import static dev.viaspark.diffusion.TestVectors.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.schedulers.NoiseSource;
import dev.viaspark.diffusion.schedulers.ReplayNoise;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import dev.viaspark.diffusion.schedulers.TorchNoise;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whole InstructPix2Pix runs against the reference pipeline vectors (10 steps, g 7.5, ig 1.5). */
class PipelineParityTest {
  /** The vectors README: about 1e-3 relative for 10-step runs (Euler latents reach |x| ~ 70). */
  static final double TOL = 1e-3;

  static NDManager manager;
  static InstructPix2PixPipeline pipeline;
  static SafetensorsFile vectors;
  static JsonNode json;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    pipeline =
        InstructPix2PixPipeline.load(TestVectors.checkpoint(), Device.cpu(), DataType.FLOAT32, 0);
    vectors = TestVectors.vectors("pipeline");
    json = TestVectors.json("pipeline");
  }

  @AfterAll
  static void close() {
    vectors.close();
    pipeline.close();
    manager.close();
  }

  static NDArray tensor(NDManager m, String name) {
    Shape shape = new Shape(vectors.entry(name).shape());
    if (vectors.entry(name).dtype().equals("U8")) {
      long[] v = vectors.longs(name);
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) f[i] = v[i];
      return m.create(f, shape);
    }
    return m.create(vectors.floats(name), shape);
  }

  static NDArray image(NDManager m, String hwcName) {
    NDArray hwc = tensor(m, hwcName);
    return hwc.div(255f).mul(2f).sub(1f).transpose(2, 0, 1).expandDims(0);
  }

  static String prompt() {
    return json.get("common").get("prompt").asText();
  }

  static EditCall call(
      NDArray images,
      List<String> prompts,
      String negative,
      float g,
      String scheduler,
      NoiseSource noise,
      NDArray latents) {
    JsonNode common = json.get("common");
    return new EditCall(
        images,
        prompts,
        negative,
        common.get("num_inference_steps").asInt(),
        g,
        (float) common.get("image_guidance_scale").asDouble(),
        scheduler,
        noise,
        latents,
        AttentionHook.NONE,
        null);
  }

  static float guidance() {
    return (float) json.get("common").get("guidance_scale").asDouble();
  }

  /**
   * Runs, then compares the latents after every step, the final latents, the image and its bytes.
   */
  static void check(String c, EditCall call) {
    try (NDManager m = manager.newSubManager()) {
      List<float[]> steps = new ArrayList<>();
      NDArray latents = pipeline.denoise(m, call, (i, x) -> steps.add(x.toFloatArray()));
      NDArray perStep = tensor(m, c + ".latents_per_step");
      for (int i = 0; i < steps.size(); i++) {
        assertClose(
            perStep.get(i).toFloatArray(), steps.get(i), TOL, c + " latents after step " + i);
      }
      assertClose(
          vectors.floats(c + ".final_latents"), latents.toFloatArray(), TOL, c + " final latents");
      NDArray decoded = pipeline.decode(latents);
      assertClose(vectors.floats(c + ".decoded_raw"), decoded.toFloatArray(), TOL, c + " decoded");
      NDArray image = ImageTensors.postprocess(decoded);
      assertClose(vectors.floats(c + ".image_pt"), image.toFloatArray(), TOL, c + " image");
      byte[][] rgb = ImageTensors.toRgb(image);
      long[] expected = vectors.longs(c + ".image_uint8_hwc");
      int maxDiff = 0, k = 0;
      for (byte[] one : rgb) {
        for (byte b : one) maxDiff = Math.max(maxDiff, (int) Math.abs((b & 0xff) - expected[k++]));
      }
      assertTrue(
          maxDiff <= 1,
          c + ": image bytes differ by up to " + maxDiff + " codes (1 allowed: float rounding)");
    }
  }

  @Test
  void euler() {
    try (NDManager m = manager.newSubManager()) {
      check(
          "euler",
          call(
              image(m, "input_image_uint8_hwc"),
              List.of(prompt()),
              null,
              guidance(),
              "EulerDiscreteScheduler",
              new SeededNoise(0),
              tensor(m, "latents_unit")));
    }
  }

  @Test
  void ddim() {
    try (NDManager m = manager.newSubManager()) {
      check(
          "ddim",
          call(
              image(m, "input_image_uint8_hwc"),
              List.of(prompt()),
              null,
              guidance(),
              "DDIMScheduler",
              new SeededNoise(0),
              tensor(m, "latents_unit")));
    }
  }

  @Test
  void eulerAncestralReplayingTheReferenceNoise() {
    try (NDManager m = manager.newSubManager()) {
      List<NDArray> draws = new ArrayList<>();
      draws.add(tensor(m, "euler_ancestral.noise_latents"));
      NDArray steps = tensor(m, "euler_ancestral.noise_steps");
      for (int i = 0; i < steps.getShape().get(0); i++) draws.add(steps.get(i));
      check(
          "euler_ancestral",
          call(
              image(m, "input_image_uint8_hwc"),
              List.of(prompt()),
              null,
              guidance(),
              null,
              ReplayNoise.ofArrays(draws),
              null));
    }
  }

  @Test
  void eulerAncestralWithTorchsGeneratorForTheSameSeed() {
    // diffusers drew from generator=torch.Generator().manual_seed(1234); TorchNoise draws the same
    try (NDManager m = manager.newSubManager()) {
      check(
          "euler_ancestral",
          call(
              image(m, "input_image_uint8_hwc"),
              List.of(prompt()),
              null,
              guidance(),
              null,
              new TorchNoise(1234),
              null));
    }
  }

  @Test
  void batchOfTwoImagesAndPrompts() {
    try (NDManager m = manager.newSubManager()) {
      NDArray images =
          NDArrays.concat(
              new NDList(
                  image(m, "input_image_uint8_hwc"), image(m, "batch2.input_image2_uint8_hwc")),
              0);
      List<String> prompts = new ArrayList<>();
      json.get("batch2").path("prompts").forEach(p -> prompts.add(p.asText()));
      if (prompts.isEmpty()) prompts.addAll(List.of(prompt(), "make it snowy"));
      check(
          "batch2",
          call(
              images,
              prompts,
              null,
              guidance(),
              "EulerDiscreteScheduler",
              new SeededNoise(0),
              tensor(m, "batch2.latents_unit")));
    }
  }

  @Test
  void negativePrompt() {
    try (NDManager m = manager.newSubManager()) {
      check(
          "negprompt",
          call(
              image(m, "input_image_uint8_hwc"),
              List.of(prompt()),
              "blurry, low quality",
              guidance(),
              "EulerDiscreteScheduler",
              new SeededNoise(0),
              tensor(m, "latents_unit")));
    }
  }

  @Test
  void noGuidanceRunsOneBranch() {
    try (NDManager m = manager.newSubManager()) {
      check(
          "nocfg",
          call(
              image(m, "input_image_uint8_hwc"),
              List.of(prompt()),
              null,
              1.0f,
              "EulerDiscreteScheduler",
              new SeededNoise(0),
              tensor(m, "latents_unit")));
    }
  }

  @Test
  void nonSquareImage() {
    try (NDManager m = manager.newSubManager()) {
      check(
          "nonsquare",
          call(
              image(m, "nonsquare.input_image_uint8_hwc"),
              List.of(prompt()),
              null,
              guidance(),
              "EulerDiscreteScheduler",
              new SeededNoise(0),
              tensor(m, "nonsquare.latents_unit")));
    }
  }

  @Test
  void imageLatentsAreThePosteriorMean() {
    try (NDManager m = manager.newSubManager()) {
      NDArray mean = pipeline.vae().encodeMean(image(m, "input_image_uint8_hwc"));
      assertClose(
          vectors.floats("image_latents_expected"), mean.toFloatArray(), 1e-4, "image latents");
    }
  }
}
