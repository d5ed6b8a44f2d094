package dev.viaspark.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import dev.viaspark.diffusion.weights.TensorEntry;
import dev.viaspark.storage.TempFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gives a trained toy model the vocabulary of today's grammar. A model trained before a family's
 * words existed cannot say that family's instructions (v2's lineage has no "p", so no "stripes"),
 * and a fine-tune of it draws no example of that family. The grown model has the grammar's
 * tokenizer, and its text encoder's token embedding is rebuilt row by row: a token the model knew
 * keeps its row, whatever its new id; a new token starts at the mean of the old rows plus a small
 * perturbation drawn from the seed, so that new words start as an ordinary word and differ from
 * each other. Everything else is copied unchanged, so the grown model edits what it could say
 * exactly as before; a fine-tune then teaches it the new words.
 */
public final class VocabularyGrowth {
  static final String TOKEN_EMBEDDING = "text_model.embeddings.token_embedding.weight";

  /** The perturbation's spread, as a share of the old rows' own spread. */
  static final double NEW_ROW_SPREAD = 0.1;

  private VocabularyGrowth() {}

  /** The tokens the grown model has that the old one lacked. */
  public record Grown(Path model, List<String> newTokens) {}

  /**
   * Writes {@code model} with {@code vocabulary} to {@code output} (a new folder, written
   * atomically).
   */
  public static Grown grow(Path model, Path output, GrammarBpe vocabulary, long seed)
      throws IOException {
    Path oldWeights = ToyModelLayout.weightsToChange(model, "text_encoder", output);
    Map<String, Integer> oldIds =
        new ObjectMapper()
            .readValue(
                model.resolve("tokenizer/vocab.json").toFile(),
                new TypeReference<Map<String, Integer>>() {});
    Path staging = output.resolveSibling(output.getFileName() + ".partial");
    TempFolder.deleteTree(staging.toFile());
    ToyTrainer.copyTree(model, staging);
    ToyModelLayout.writeWords(staging, vocabulary);
    List<String> added = new ArrayList<>();
    try (SafetensorsFile old = SafetensorsFile.open(oldWeights)) {
      SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
      for (Map.Entry<String, TensorEntry> t : old.tensors().entrySet()) {
        TensorEntry e = t.getValue();
        if (!t.getKey().equals(TOKEN_EMBEDDING)) {
          writer.add(t.getKey(), e.dtype(), e.shape(), old.bytes(t.getKey()));
          continue;
        }
        int width = Math.toIntExact(e.shape()[1]);
        float[] rows = old.floats(TOKEN_EMBEDDING);
        float[] grown =
            grownRows(rows, width, oldIds, vocabulary.tokens(), new SplittableRandom(seed), added);
        writer.addFloats(TOKEN_EMBEDDING, "F32", new long[] {vocabulary.vocabSize(), width}, grown);
      }
      writer.write(ToyModelLayout.weightsFile(staging, "text_encoder"));
    }
    Files.move(staging, output, StandardCopyOption.ATOMIC_MOVE);
    return new Grown(output, added);
  }

  /**
   * The new embedding rows by the new ids: a known token's old row, else the old rows' mean plus a
   * perturbation; the new tokens' names are added to {@code added}, in id order.
   */
  static float[] grownRows(
      float[] rows,
      int width,
      Map<String, Integer> oldIds,
      Map<String, Integer> newIds,
      SplittableRandom rng,
      List<String> added) {
    int oldCount = rows.length / width;
    double[] mean = new double[width];
    for (int r = 0; r < oldCount; r++)
      for (int c = 0; c < width; c++) mean[c] += rows[r * width + c] / (double) oldCount;
    double squares = 0;
    for (int r = 0; r < oldCount; r++)
      for (int c = 0; c < width; c++) squares += Math.pow(rows[r * width + c] - mean[c], 2);
    double spread = Math.sqrt(squares / ((double) oldCount * width));
    float[] grown = new float[newIds.size() * width];
    List<Map.Entry<String, Integer>> byId = new ArrayList<>(newIds.entrySet());
    byId.sort(Map.Entry.comparingByValue());
    for (Map.Entry<String, Integer> t : byId) {
      Integer old = oldIds.get(t.getKey());
      int at = t.getValue() * width;
      if (old != null && old < oldCount) {
        System.arraycopy(rows, old * width, grown, at, width);
      } else {
        added.add(t.getKey());
        for (int c = 0; c < width; c++)
          grown[at + c] = (float) (mean[c] + NEW_ROW_SPREAD * spread * rng.nextGaussian());
      }
    }
    return grown;
  }
}
