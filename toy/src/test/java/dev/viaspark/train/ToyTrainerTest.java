package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import dev.viaspark.toy.StripeDraw;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train-toy end to end at a few steps: the folder it writes, its log, and that the engine loads it.
 */
class ToyTrainerTest {
  @TempDir Path dir;

  @Test
  void writesALoadableDiffusersFolderWithItsLog() throws Exception {
    Path out = dir.resolve("toy");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    ToyTrainer.Result r =
        new ToyTrainer(
                new ToyTrainer.Options(out, 1, 7, 3, 2, "test"),
                new PrintStream(progress, true, StandardCharsets.UTF_8))
            .run();
    assertEquals(3, r.vaeSteps());
    assertEquals(2, r.unetSteps());
    assertFalse(Files.exists(dir.resolve("toy.partial")), "staging folder moved into place");
    for (String f :
        List.of(
            "model_index.json",
            "scheduler/scheduler_config.json",
            "tokenizer/vocab.json",
            "tokenizer/merges.txt",
            "vae/diffusion_pytorch_model.safetensors",
            "unet/diffusion_pytorch_model.safetensors",
            "text_encoder/model.safetensors",
            "train.json",
            "train-log.tsv",
            "loss.png")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    List<String> log = Files.readAllLines(out.resolve("train-log.tsv"));
    assertEquals("phase\tstep\tseconds\tlr\tloss", log.get(0));
    assertEquals(1 + 3 + 2, log.size());
    assertTrue(
        log.get(1).startsWith("vae\t0\t") && log.get(4).startsWith("unet\t0\t"), log.toString());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("train.json").toFile());
    assertEquals("test", summary.get("command").asText());
    assertEquals(7, summary.get("seed").asLong());
    assertEquals(ToyTrainer.EVALUATION_EXAMPLES, summary.get("held_out").get("examples").asInt());
    JsonNode vae = new ObjectMapper().readTree(out.resolve("vae/config.json").toFile());
    assertTrue(
        vae.get("scaling_factor").asDouble() > 0 && vae.get("scaling_factor").asDouble() != 1.0,
        "scaling factor measured from the trained VAE's latents");
    try (InstructPix2PixPipeline p =
        InstructPix2PixPipeline.load(out, Device.cpu(), DataType.FLOAT32, 0)) {
      assertEquals(2 * p.vae().config().latentChannels(), p.unet().config().inChannels());
    }
    assertTrue(
        progress.toString(StandardCharsets.UTF_8).contains("held-out examples"),
        progress.toString());
  }

  @Test
  void aRunResumedOverSittingsWritesTheSameWeightsAsOneSitting() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Path whole = dir.resolve("whole");
    new ToyTrainer(new ToyTrainer.Options(whole, 1, 3, 3, 3, "whole", false, 0, 0, 1, null), quiet)
        .run();

    Path split = dir.resolve("split");
    ToyTrainer.Result first =
        new ToyTrainer(
                new ToyTrainer.Options(split, 1, 3, 3, 3, "first", false, 0, 2, 1, null), quiet)
            .run();
    assertFalse(first.finished());
    assertFalse(Files.exists(split), "nothing published before the run is complete");
    assertTrue(
        Files.isRegularFile(dir.resolve("split.partial/training-state/vae-adam.safetensors")));
    IOException again =
        assertThrows(
            IOException.class,
            () ->
                new ToyTrainer(
                        new ToyTrainer.Options(split, 1, 3, 3, 3, "again", false, 0, 0, 1, null),
                        quiet)
                    .run());
    assertTrue(again.getMessage().contains("--resume"), again.getMessage());
    // a sitting that ends in the UNet phase, with the VAE finished in it
    assertFalse(
        new ToyTrainer(
                new ToyTrainer.Options(split, 0, 0, 0, 0, "second", true, 0, 3, 1, null), quiet)
            .run()
            .finished());
    ToyTrainer.Result last =
        new ToyTrainer(
                new ToyTrainer.Options(split, 0, 0, 0, 0, "third", true, 0, 0, 1, null), quiet)
            .run();
    assertTrue(last.finished());

    for (String f :
        List.of(
            "vae/diffusion_pytorch_model.safetensors",
            "unet/diffusion_pytorch_model.safetensors",
            "text_encoder/model.safetensors")) {
      assertSameWeights(whole.resolve(f), split.resolve(f));
    }
    assertEquals(scalingFactor(whole), scalingFactor(split), "vae/config.json");
    List<String> wholeLog = Files.readAllLines(whole.resolve("train-log.tsv"));
    List<String> splitLog = Files.readAllLines(split.resolve("train-log.tsv"));
    assertEquals(wholeLog.size(), splitLog.size(), "one log line per step over the sittings");
    JsonNode summary = new ObjectMapper().readTree(split.resolve("train.json").toFile());
    assertEquals(3, summary.get("commands").size(), summary.toString());

    // a finished run trains further with more UNet steps, and refuses to resume without them
    IOException done =
        assertThrows(
            IOException.class,
            () ->
                new ToyTrainer(
                        new ToyTrainer.Options(split, 0, 0, 0, 0, "fourth", true, 0, 0, 1, null),
                        quiet)
                    .run());
    assertTrue(done.getMessage().contains("--unet-steps"), done.getMessage());
    ToyTrainer.Result further =
        new ToyTrainer(
                new ToyTrainer.Options(split, 0, 0, 0, 5, "fourth", true, 0, 0, 1, null), quiet)
            .run();
    assertEquals(5, further.unetSteps());
    assertEquals(1 + 3 + 5, Files.readAllLines(split.resolve("train-log.tsv")).size());
  }

  @Test
  void refusesToOverwriteAFolder() throws IOException {
    Path existing = Files.createDirectories(dir.resolve("taken"));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new ToyTrainer(
                        new ToyTrainer.Options(existing, 1, 1, 1, 1, "test"),
                        new PrintStream(new ByteArrayOutputStream()))
                    .run());
    assertTrue(e.getMessage().contains("taken: already exists"), e.getMessage());
  }

  @Test
  void fineTunesAModelOfAnotherLayoutInItsOwnLayout() throws Exception {
    // a model that predates the stripes' words, with the committed model's 4 latent channels
    // (today's layout has 8): the fine-tune keeps both, and draws no example it cannot say
    Path committed =
        VocabularyGrowthTest.predatingStripes(
            Path.of(System.getProperty("viaspark.toymodel", "../models/toy-ip2p")),
            dir.resolve("older"));
    Path tuned = dir.resolve("tuned");
    new ToyTrainer(
            new ToyTrainer.Options(
                tuned,
                1,
                1,
                1,
                1,
                "test",
                false,
                0,
                0,
                1,
                committed,
                "shape=3,pattern=1",
                new ShapeWeights(2, 3),
                false,
                0,
                StripeDraw.ANY),
            new PrintStream(new ByteArrayOutputStream()))
        .run();
    ObjectMapper json = new ObjectMapper();
    for (String config : List.of("vae/config.json", "unet/config.json", "tokenizer/vocab.json")) {
      assertEquals(
          json.readTree(committed.resolve(config).toFile()),
          json.readTree(tuned.resolve(config).toFile()),
          config);
    }
    JsonNode summary = json.readTree(tuned.resolve("train.json").toFile());
    assertEquals("shape=1.000", summary.get("family_odds").asText());
    assertEquals(2.0, summary.get("kept_shape_weight").asDouble());
    assertEquals(3.0, summary.get("named_shape_weight").asDouble());
    try (SafetensorsFile a = SafetensorsFile.open(ToyModelLayout.weightsFile(committed, "unet"));
        SafetensorsFile b = SafetensorsFile.open(ToyModelLayout.weightsFile(tuned, "unet"))) {
      assertTrue(
          a.tensors().keySet().stream()
              .anyMatch(name -> !Arrays.equals(a.floats(name), b.floats(name))),
          "the UNet step moved its weights");
    }
  }

  @Test
  void aDecoderFineTuneKeepsTheUnetTextEncoderAndEncoderAndMovesTheDecoder() throws Exception {
    Path committed = Path.of(System.getProperty("viaspark.toymodel", "../models/toy-ip2p"));
    Path tuned = dir.resolve("decoder");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ToyTrainer.Result r =
        new ToyTrainer(
                new ToyTrainer.Options(
                    tuned, 1, 1, 2, ToyTrainer.KEEP_UNET, "test", false, 0, 0, 1, committed),
                new PrintStream(printed))
            .run();
    assertTrue(r.finished());
    for (String kept : List.of("unet", "text_encoder")) {
      assertArrayEquals(
          Files.readAllBytes(ToyModelLayout.weightsFile(committed, kept)),
          Files.readAllBytes(ToyModelLayout.weightsFile(tuned, kept)),
          kept + " is kept bit for bit");
    }
    try (SafetensorsFile a = SafetensorsFile.open(ToyModelLayout.weightsFile(committed, "vae"));
        SafetensorsFile b = SafetensorsFile.open(ToyModelLayout.weightsFile(tuned, "vae"))) {
      for (String name : a.tensors().keySet()) {
        if (name.startsWith("encoder.") || name.startsWith("quant_conv.")) {
          assertArrayEquals(a.floats(name), b.floats(name), name + " stays: the latents stay");
        }
      }
      assertTrue(
          a.tensors().keySet().stream()
              .filter(name -> name.startsWith("decoder."))
              .anyMatch(name -> !Arrays.equals(a.floats(name), b.floats(name))),
          "the decoder steps moved the decoder");
    }
    JsonNode summary = new ObjectMapper().readTree(tuned.resolve("train.json").toFile());
    assertEquals(2, summary.get("vae_steps").asInt());
    assertEquals(0, summary.get("unet_steps").asInt());
    assertTrue(summary.get("unet_kept").asBoolean());
    assertTrue(printed.toString().contains("UNet and text encoder kept"), printed.toString());
    assertTrue(
        Files.readAllLines(tuned.resolve("train-log.tsv")).stream()
            .noneMatch(l -> l.startsWith("unet")),
        "no UNet step is logged");
  }

  @Test
  void aFineTuneCanKeepItsVaeAndLearnFromContrastivePairsWithGroundingAndOneStripeGeometry()
      throws Exception {
    Path committed = Path.of(System.getProperty("viaspark.toymodel", "../models/toy-ip2p"));
    Path tuned = dir.resolve("paired");
    ToyTrainer.Result r =
        new ToyTrainer(
                new ToyTrainer.Options(
                    tuned,
                    1,
                    1,
                    ToyTrainer.KEEP_VAE,
                    1,
                    "test",
                    false,
                    0,
                    0,
                    1,
                    committed,
                    "shape=1,pattern=1",
                    ShapeWeights.NONE,
                    true,
                    0.05,
                    StripeDraw.ONE),
                new PrintStream(new ByteArrayOutputStream()))
            .run();
    assertTrue(r.finished());
    assertArrayEquals(
        Files.readAllBytes(ToyModelLayout.weightsFile(committed, "vae")),
        Files.readAllBytes(ToyModelLayout.weightsFile(tuned, "vae")));
    JsonNode summary = new ObjectMapper().readTree(tuned.resolve("train.json").toFile());
    assertEquals(0, summary.get("vae_steps").asInt());
    assertTrue(summary.get("vae_kept").asBoolean());
    assertTrue(summary.get("contrastive_pairs").asBoolean());
    assertEquals(0.05, summary.get("grounding_weight").asDouble());
    assertEquals("one", summary.get("stripes").asText());
    assertEquals(
        StripeDraw.ONE,
        TrainingProgress.read(tuned.resolve(ToyTrainer.STATE).resolve("progress.json")).stripes(),
        "a resumed run keeps drawing its stripes the same way");
    assertEquals(1, summary.get("unet_steps").asInt());
    List<String> log = Files.readAllLines(tuned.resolve("train-log.tsv"));
    assertTrue(
        log.stream().anyMatch(l -> l.startsWith("unet-grounding\t0\t")),
        "the grounding loss has its own curve: " + log);
  }

  /**
   * Bit for bit. A resume that restores the wrong state (noise, optimizer moments, step) moves most
   * weights by about the learning rate (1e-3 here); so did gradients read from freed memory (see
   * {@code Scalars}), which this test caught one run in seven before they were fixed. The count and
   * the largest difference say which it is.
   */
  private static void assertSameWeights(Path expected, Path actual) {
    try (SafetensorsFile a = SafetensorsFile.open(expected);
        SafetensorsFile b = SafetensorsFile.open(actual)) {
      assertEquals(a.tensors().keySet(), b.tensors().keySet(), actual.toString());
      long elements = 0;
      long moved = 0;
      double largest = 0;
      for (String name : a.tensors().keySet()) {
        float[] x = a.floats(name);
        float[] y = b.floats(name);
        assertEquals(x.length, y.length, name);
        for (int i = 0; i < x.length; i++) {
          if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) moved++;
          largest = Math.max(largest, Math.abs(x[i] - y[i]));
        }
        elements += x.length;
      }
      assertEquals(
          0,
          moved,
          String.format(
              "%s: %d of %d weights differ (largest by %.3g)", actual, moved, elements, largest));
    }
  }

  private static double scalingFactor(Path model) throws IOException {
    return new ObjectMapper()
        .readTree(model.resolve("vae/config.json").toFile())
        .get("scaling_factor")
        .asDouble();
  }
}
