package dev.viaspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.toy.StripeDraw;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a toy training run stands, saved with its weights so that it can be resumed: the plan
 * (seed, budget, steps per phase; 0 steps while a phase is still to be calibrated from the budget),
 * the steps done, the VAE's scaling factor once measured, the seconds spent over all sittings and
 * the command of each sitting. {@code from} is the model a fine-tuning run started from ("" for
 * random weights); {@code familyOdds} the odds its examples were drawn with, as given ("" for the
 * sampler's own); {@code contrastivePairs} whether shape examples come with their twin (see {@link
 * dev.viaspark.toy.ToyDataset#twin}); {@code groundingWeight} the weight of the cross-attention
 * grounding loss ({@link AttentionGrounding}; 0: none); {@code stripes} how its stripe examples are
 * drawn. {@code vaeSteps} is {@link #KEEP_VAE} for a fine-tune that keeps its model's VAE, {@code
 * unetSteps} {@link #KEEP_UNET} for one that keeps its UNet and text encoder (a decoder fine-tune).
 */
record TrainingProgress(
    String from,
    String familyOdds,
    ShapeWeights shapeWeights,
    boolean contrastivePairs,
    double groundingWeight,
    StripeDraw stripes,
    long seed,
    double budgetMinutes,
    int vaeSteps,
    int unetSteps,
    int vaeDone,
    int unetDone,
    double vaeScaling,
    long emaUpdates,
    double seconds,
    List<String> commands) {
  private static final ObjectMapper JSON = new ObjectMapper();

  TrainingProgress {
    commands = List.copyOf(commands);
  }

  static TrainingProgress start(
      String from,
      String familyOdds,
      ShapeWeights shapeWeights,
      boolean contrastivePairs,
      double groundingWeight,
      StripeDraw stripes,
      long seed,
      double budgetMinutes,
      int vaeSteps,
      int unetSteps,
      String command) {
    return new TrainingProgress(
        from,
        familyOdds,
        shapeWeights,
        contrastivePairs,
        groundingWeight,
        stripes,
        seed,
        budgetMinutes,
        vaeSteps,
        unetSteps,
        0,
        0,
        0,
        0,
        0,
        List.of(command));
  }

  /** The plan's VAE steps of a fine-tune that keeps its model's VAE as it is. */
  static final int KEEP_VAE = -1;

  /**
   * The plan's UNet steps of a fine-tune that keeps its model's UNet and text encoder as they are.
   */
  static final int KEEP_UNET = -1;

  boolean vaeFinished() {
    return vaeSteps == KEEP_VAE || (vaeSteps > 0 && vaeDone >= vaeSteps);
  }

  boolean finished() {
    return vaeFinished() && (unetSteps == KEEP_UNET || (unetSteps > 0 && unetDone >= unetSteps));
  }

  TrainingProgress withVae(int steps, int done, double scaling) {
    return new TrainingProgress(
        from,
        familyOdds,
        shapeWeights,
        contrastivePairs,
        groundingWeight,
        stripes,
        seed,
        budgetMinutes,
        steps,
        unetSteps,
        done,
        unetDone,
        scaling,
        emaUpdates,
        seconds,
        commands);
  }

  TrainingProgress withUnet(int steps, int done, long ema) {
    return new TrainingProgress(
        from,
        familyOdds,
        shapeWeights,
        contrastivePairs,
        groundingWeight,
        stripes,
        seed,
        budgetMinutes,
        vaeSteps,
        steps,
        vaeDone,
        done,
        vaeScaling,
        ema,
        seconds,
        commands);
  }

  TrainingProgress withSeconds(double total) {
    return new TrainingProgress(
        from,
        familyOdds,
        shapeWeights,
        contrastivePairs,
        groundingWeight,
        stripes,
        seed,
        budgetMinutes,
        vaeSteps,
        unetSteps,
        vaeDone,
        unetDone,
        vaeScaling,
        emaUpdates,
        total,
        commands);
  }

  TrainingProgress withCommand(String command) {
    List<String> all = new ArrayList<>(commands);
    all.add(command);
    return new TrainingProgress(
        from,
        familyOdds,
        shapeWeights,
        contrastivePairs,
        groundingWeight,
        stripes,
        seed,
        budgetMinutes,
        vaeSteps,
        unetSteps,
        vaeDone,
        unetDone,
        vaeScaling,
        emaUpdates,
        seconds,
        all);
  }

  void write(Path file) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("from", from)
        .put("family_odds", familyOdds)
        .put("kept_shape_weight", shapeWeights.kept())
        .put("named_shape_weight", shapeWeights.named())
        .put("contrastive_pairs", contrastivePairs)
        .put("grounding_weight", groundingWeight)
        .put("stripes", stripes.word())
        .put("seed", seed)
        .put("budget_minutes", budgetMinutes)
        .put("vae_steps", vaeSteps)
        .put("unet_steps", unetSteps)
        .put("vae_done", vaeDone)
        .put("unet_done", unetDone)
        .put("vae_scaling_factor", vaeScaling)
        .put("ema_updates", emaUpdates)
        .put("seconds", seconds);
    ArrayNode c = n.putArray("commands");
    commands.forEach(c::add);
    Files.writeString(
        file,
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n",
        StandardCharsets.UTF_8);
  }

  static TrainingProgress read(Path file) throws IOException {
    JsonNode n = JSON.readTree(file.toFile());
    List<String> commands = new ArrayList<>();
    n.get("commands").forEach(c -> commands.add(c.asText()));
    return new TrainingProgress(
        n.get("from").asText(),
        n.path("family_odds").asText(""),
        new ShapeWeights(
            n.path("kept_shape_weight").asDouble(0), n.path("named_shape_weight").asDouble(0)),
        n.path("contrastive_pairs").asBoolean(false),
        n.path("grounding_weight").asDouble(0),
        StripeDraw.of(n.path("stripes").asText("any")),
        n.get("seed").asLong(),
        n.get("budget_minutes").asDouble(),
        n.get("vae_steps").asInt(),
        n.get("unet_steps").asInt(),
        n.get("vae_done").asInt(),
        n.get("unet_done").asInt(),
        n.get("vae_scaling_factor").asDouble(),
        n.get("ema_updates").asLong(),
        n.get("seconds").asDouble(),
        commands);
  }
}
