package dev.viaspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's dispatch, usage text and exit statuses, without Spark. */
class ViasparkMainTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ViasparkMain.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void usageListsEveryCommandAndEveryExitStatus() {
    Run r = run("help");
    assertEquals(0, r.code());
    for (String command :
        new String[] {
          "demo",
          "edit",
          "probe",
          "generate",
          "edit-image",
          "train-toy",
          "--resume",
          "grow-vocabulary",
          "deepen-unet"
        }) {
      assertTrue(r.out().contains(command), command + " in\n" + r.out());
    }
    assertTrue(r.out().contains("unet|pipeline|via|toy|random-unet"), r.out());
    for (String status :
        new String[] {"0 ok", "1 bad usage", "2 input videos failed", "3 an unexpected error"}) {
      assertTrue(r.out().contains(status), status + " in\n" + r.out());
    }
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Run r = run("edti");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown command 'edti'"), r.err());
  }

  @Test
  void generateTakesTheRotationsPhonesWriteAndRefusesOthers() {
    Path video = dir.resolve("r.mp4");
    assertEquals(
        0,
        run(
                "generate",
                "--output",
                video.toString(),
                "--seconds",
                "0.2",
                "--size",
                "32x32",
                "--no-audio",
                "--rotation",
                "0")
            .code());
    assertTrue(Files.isRegularFile(video));
    Run r = run("generate", "--output", dir.resolve("s.mp4").toString(), "--rotation", "45");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--rotation 45: expected 0, 90, 180 or 270"), r.err());
  }

  @Test
  void sizesAreWidthByHeightInPositiveWholeNumbers() {
    for (String bad : new String[] {"0x240", "320", "320x", "-1x2", "320X240", "1234567x2"}) {
      Run r = run("generate", "--output", dir.resolve("z.mp4").toString(), "--size", bad);
      assertEquals(1, r.code(), bad);
      assertTrue(r.err().contains("--size " + bad + ": expected WxH"), r.err());
    }
  }

  @Test
  void probingAMissingFileIsAFailedVideo() {
    Run r = run("probe", dir.resolve("missing.mp4").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("missing.mp4") && r.err().contains("no such file"), r.err());
  }

  @Test
  void trainToyTakesANewRunOrAResumeNotBoth() {
    Run both =
        run(
            "train-toy",
            "--output",
            dir.resolve("a").toString(),
            "--resume",
            dir.resolve("b").toString());
    assertEquals(1, both.code());
    assertTrue(both.err().contains("either --output"), both.err());
    Run seed = run("train-toy", "--resume", dir.resolve("b").toString(), "--seed", "3");
    assertEquals(1, seed.code());
    assertTrue(seed.err().contains("belong to the run being resumed"), seed.err());
    Run weight =
        run("train-toy", "--resume", dir.resolve("b").toString(), "--named-shape-weight", "2");
    assertEquals(1, weight.code());
    assertTrue(weight.err().contains("--named-shape-weight,"), weight.err());
    assertTrue(weight.err().contains("belong to the run"), weight.err());
    Run pairs = run("train-toy", "--resume", dir.resolve("b").toString(), "--contrastive-pairs");
    assertEquals(1, pairs.code());
    assertTrue(pairs.err().contains("--contrastive-pairs"), pairs.err());
    Run grounding =
        run("train-toy", "--resume", dir.resolve("b").toString(), "--grounding-weight", "0.05");
    assertEquals(1, grounding.code());
    assertTrue(grounding.err().contains("--grounding-weight,"), grounding.err());
    Run keep = run("train-toy", "--output", dir.resolve("c").toString(), "--keep-vae");
    assertEquals(1, keep.code());
    assertTrue(
        keep.err().contains("--keep-vae keeps the VAE of the model given by --from"), keep.err());
    Run keepUnet =
        run(
            "train-toy",
            "--output",
            dir.resolve("c").toString(),
            "--from",
            dir.toString(),
            "--keep-unet",
            "--unet-steps",
            "5");
    assertEquals(1, keepUnet.code());
    assertTrue(
        keepUnet.err().contains("--keep-unet keeps the UNet of the model given by --from"),
        keepUnet.err());
    Run resumeKeepUnet = run("train-toy", "--resume", dir.resolve("b").toString(), "--keep-unet");
    assertEquals(1, resumeKeepUnet.code());
    assertTrue(resumeKeepUnet.err().contains("belong to the run"), resumeKeepUnet.err());
  }

  @Test
  void growVocabularyRefusesWhatIsNoToyModelAndAnOutputThatExists() throws Exception {
    Run notAModel =
        run("grow-vocabulary", "--model", dir.toString(), "--output", dir.resolve("g").toString());
    assertEquals(1, notAModel.code());
    assertTrue(
        notAModel.err().contains("not a toy model (no tokenizer/vocab.json)"), notAModel.err());
    Files.createDirectories(dir.resolve("taken"));
    Run taken =
        run(
            "grow-vocabulary",
            "--model",
            dir.toString(),
            "--output",
            dir.resolve("taken").toString());
    assertEquals(1, taken.code());
    assertTrue(taken.err().contains("already exists"), taken.err());
  }

  @Test
  void deepenUnetRefusesWhatIsNoToyModelAndNoDeeperUnet() throws Exception {
    Run notAModel =
        run(
            "deepen-unet",
            "--model",
            dir.toString(),
            "--output",
            dir.resolve("d").toString(),
            "--layers-per-block",
            "2");
    assertEquals(1, notAModel.code());
    assertTrue(notAModel.err().contains("not a toy model"), notAModel.err());
    Run same =
        run(
            "deepen-unet",
            "--model",
            "../models/toy-ip2p",
            "--output",
            dir.resolve("d").toString(),
            "--layers-per-block",
            "1");
    assertEquals(1, same.code());
    assertTrue(same.err().contains("already; give more"), same.err());
    assertFalse(Files.exists(dir.resolve("d")), "nothing written");
  }
}
