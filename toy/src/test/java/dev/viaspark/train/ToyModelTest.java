package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.toy.ToyAccuracy;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.toy.ToySplit;
import dev.viaspark.video.VideoFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed toy model (models/toy-ip2p, the demo's default) loads in the job's editor and edits
 * held-out frames correctly with the masks the demo uses. Another checkpoint folder of the same
 * layout can be checked with -Dviaspark.toymodel=DIR.
 */
class ToyModelTest {
  static final Path MODEL = Path.of(System.getProperty("viaspark.toymodel", "../models/toy-ip2p"));

  /**
   * Share of held-out examples the model must edit correctly, each with the mask from its
   * cross-attention to the words naming the edited part (edit.mask = attention:circle,red, as the
   * demo edits), snapped to the source's regions (edit.mask-auto-snap = segments, the default). An
   * editor that returns its input scores 0 (every example changes its region by 24 or more, see
   * ToyDataset), and so does one that recolours the wrong part. On the 48 examples of today's
   * sampler, 8 of them stripes, the committed model (v23: v20d with a UNet of two layers per block)
   * scores 81% (39 of 48) with these masks, 67% (32) with the masks' margin drawn by colour instead
   * (edit.mask-auto-snap = margin), 50% without a mask; v20d scored 77%. The bar, 37 of 48, leaves
   * 2 frames for float differences between machines and fails the margin's masks and v20d.
   */
  static final double MIN_CORRECT = 37 / 48.0;

  /**
   * The most the rest of a frame may move on average over those examples, with those masks: v23
   * moves it by 0.7 (0-255; 2.2 with the margin's masks), v20d by 4.5, v19 by 7.1 with the
   * margin's, v15 by 9.4, v13 by 26.4. A model that recolours shapes it was not told to, or tints
   * the background, fails it.
   */
  static final double MAX_OUTSIDE_CHANGE = 3;

  static InstructPix2PixEditor editor;

  @BeforeAll
  static void load() {
    editor = ToyEvaluation.editor(MODEL);
  }

  @AfterAll
  static void close() {
    editor.close();
  }

  @Test
  void isSmallAndCarriesItsTrainingRecord() throws IOException {
    long bytes;
    try (Stream<Path> files = Files.walk(MODEL)) {
      // what the job jar carries: training-state/, where a training run keeps it, is for train-toy
      // --resume only
      bytes =
          files
              .filter(Files::isRegularFile)
              .filter(p -> !MODEL.relativize(p).startsWith("training-state"))
              .mapToLong(p -> p.toFile().length())
              .sum();
    }
    assertTrue(bytes < 20L << 20, bytes + " bytes");
    JsonNode summary = new ObjectMapper().readTree(MODEL.resolve("train.json").toFile());
    assertTrue(
        summary.get("command").asText().startsWith("viaspark train-toy"), summary.toString());
    // a fine-tune that kept its VAE, or its UNet, names the runs that trained them in its lineage
    int vaeSteps = summary.get("vae_steps").asInt();
    int unetSteps = summary.get("unet_steps").asInt();
    for (JsonNode run : summary.path("lineage")) {
      vaeSteps += run.path("vae_steps").asInt();
      unetSteps += run.path("unet_steps").asInt();
    }
    assertTrue(vaeSteps > 0 && unetSteps > 0, summary.toString());
    assertTrue(summary.get("minutes").asDouble() > 0 && summary.has("seed"), summary.toString());
    assertTrue(
        Files.size(MODEL.resolve("train-log.tsv")) > 0
            && Files.size(MODEL.resolve("loss.png")) > 0);
  }

  @Test
  void movesMostHeldOutFramesTowardsTheirTargets() {
    // the accuracy bar below asks for a right edit; this asks only that the edit goes the right
    // way, frame by frame,
    // where there is one way (stripes may be right and far from the example's target)
    int frames = 8, closer = 0;
    StringBuilder seen = new StringBuilder();
    for (ToyExample example :
        ToyDataset.examples(ToySplit.HELD_OUT, 0, ToyFrame.SIZE)
            .filter(ex -> ex.instruction().family().oneRightResult())
            .limit(frames)
            .toList()) {
      VideoFrame edited = ToyEvaluation.edit(editor, example, 1);
      assertEquals(example.source().width(), edited.width());
      assertEquals(example.source().height(), edited.height());
      double unedited = ToyAccuracy.score(example, example.source()).insideError();
      double error = ToyAccuracy.score(example, edited).insideError();
      if (error < 0.5 * unedited) closer++;
      seen.append(
          String.format(
              "%n  %s: region %.1f from the target, %.1f before",
              example.instruction().text(), error, unedited));
    }
    System.out.println(closer + " of " + frames + " closer" + seen);
    assertTrue(
        closer >= frames / 2,
        closer + " of " + frames + " frames halved their distance to the target:" + seen);
  }

  @Test
  void itsSchedulerConfigLetsDdimSampleUnclamped() throws IOException {
    JsonNode scheduler =
        new ObjectMapper().readTree(MODEL.resolve("scheduler/scheduler_config.json").toFile());
    assertFalse(
        scheduler.path("clip_sample").asBoolean(true), "clip_sample must be false: " + scheduler);
    assertFalse(
        scheduler.path("set_alpha_to_one").asBoolean(true),
        "set_alpha_to_one must be false: " + scheduler);
  }

  /**
   * DDIM with fresh noise at each step (edit.ddim-eta = 1, DDPM's ancestral sampling) clears the
   * same bar: the committed model scores with it about as with Euler ancestral (v20d: 75% against
   * 77%, 63% against 65% with the margin's masks), while deterministic DDIM (eta 0) falls further
   * (v20d 67%, 58% with the margin's; docs/BENCHMARKS.md, v20d and the masks snapped to segments).
   */
  @Test
  void ddimWithFreshNoiseClearsTheSameBar() {
    ViasparkSettings ddim =
        ToyEvaluation.settings(MODEL, List.of("model.scheduler=DDIMScheduler", "edit.ddim-eta=1"));
    try (InstructPix2PixEditor ddimEditor = ToyEvaluation.editor(ddim)) {
      ToyEvaluation.Summary s =
          ToyEvaluation.heldOutTally(
                  ddimEditor, ToyTrainer.EVALUATION_EXAMPLES, ToyEvaluation.Masks.ATTENTION)
              .summary();
      assertTrue(s.correct() >= MIN_CORRECT, s.describe());
    }
  }

  @Test
  void heldOutAccuracyAndLocalityClearTheBar() {
    ToyEvaluation.Summary s =
        ToyEvaluation.heldOutTally(
                editor, ToyTrainer.EVALUATION_EXAMPLES, ToyEvaluation.Masks.ATTENTION)
            .summary();
    assertTrue(s.correct() >= MIN_CORRECT, s.describe());
    assertTrue(s.meanOutsideChange() <= MAX_OUTSIDE_CHANGE, s.describe());
  }
}
