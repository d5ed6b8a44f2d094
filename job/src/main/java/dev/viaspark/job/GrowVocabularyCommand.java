package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.UsageException;
import dev.viaspark.train.ToyModelLayout;
import dev.viaspark.train.VocabularyGrowth;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code viaspark grow-vocabulary}: a trained toy model with the vocabulary of today's grammar, so
 * that a fine-tune ({@code train-toy --from}) can teach it the instructions it could not say.
 */
final class GrowVocabularyCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark grow-vocabulary --model DIR --output DIR [--seed S]",
          "",
          "Writes a copy of the toy model DIR whose tokenizer is the toy grammar's of today. Words the model",
          "knew keep their embeddings; new words (for a model older than the stripes family: add, stripes, to)",
          "start at the mean embedding plus a small perturbation drawn from S (default 1). The copy edits",
          "what the model could say as before; fine-tune it with `train-toy --from` to teach the new words.",
          "OUTPUT must not exist; it is written atomically.");

  private GrowVocabularyCommand() {}

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "grow-vocabulary", args, Set.of("--model", "--output", "--seed"), Set.of("--help"), 0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    for (String required : List.of("--model", "--output")) {
      if (cl.get(required) == null)
        throw new UsageException(
            "grow-vocabulary: " + required + " is required (see viaspark grow-vocabulary --help)");
    }
    Path model = Path.of(cl.get("--model"));
    if (!Files.isDirectory(model))
      throw new UsageException("grow-vocabulary: --model " + model + ": no such folder");
    Path output = Path.of(cl.get("--output"));
    if (Files.exists(output))
      throw new UsageException(
          "grow-vocabulary: --output " + output + ": already exists; choose a new folder");
    for (Path needed :
        List.of(
            model.resolve("tokenizer/vocab.json"),
            ToyModelLayout.weightsFile(model, "text_encoder"))) {
      if (!Files.isRegularFile(needed))
        throw new UsageException(
            "grow-vocabulary: --model "
                + model
                + ": not a toy model (no "
                + model.relativize(needed)
                + ")");
    }
    long seed;
    try {
      seed = cl.get("--seed") == null ? 1 : Long.parseLong(cl.get("--seed"));
    } catch (NumberFormatException e) {
      throw new UsageException("grow-vocabulary: --seed " + cl.get("--seed") + ": not a number");
    }
    VocabularyGrowth.Grown grown =
        VocabularyGrowth.grow(model, output, ToyModelLayout.vocabulary(), seed);
    out.printf(
        "wrote %s: %d new token(s): %s%n",
        grown.model(), grown.newTokens().size(), String.join(" ", grown.newTokens()));
    return 0;
  }
}
