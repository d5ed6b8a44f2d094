package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import dev.viaspark.toy.ToyFamily;
import dev.viaspark.toy.ToyInstruction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyGrowthTest {
  @TempDir Path dir;

  @Test
  void knownTokensKeepTheirRowsUnderNewIdsAndNewOnesStartNearTheMean() {
    float[] rows = {1, 2, 3, 4, 5, 6}; // tokens x, y, z of width 2
    List<String> added = new ArrayList<>();
    float[] grown =
        VocabularyGrowth.grownRows(
            rows,
            2,
            Map.of("x", 0, "y", 1, "z", 2),
            Map.of("z", 0, "w", 1, "x", 2, "v", 3),
            new SplittableRandom(1),
            added);
    assertArrayEquals(new float[] {5, 6}, Arrays.copyOfRange(grown, 0, 2));
    assertArrayEquals(new float[] {1, 2}, Arrays.copyOfRange(grown, 4, 6));
    assertEquals(List.of("w", "v"), added);
    // the old rows' mean is (3, 4); their spread about it is sqrt(8/3), a new row moves 0.1 of it
    for (int at : new int[] {2, 6}) {
      assertEquals(3, grown[at], 0.1 * Math.sqrt(8 / 3.0) * 5);
      assertEquals(4, grown[at + 1], 0.1 * Math.sqrt(8 / 3.0) * 5);
    }
    assertNotEquals(grown[2], grown[6], "new words differ from each other");
  }

  /**
   * Writes {@code model} with the vocabulary of the toy grammar without its stripes family, as the
   * models trained before that family were, to {@code output}; returns {@code output}.
   */
  static Path predatingStripes(Path model, Path output) throws IOException {
    List<String> withoutStripes = new ArrayList<>();
    for (ToyInstruction i : ToyInstruction.all())
      if (i.family() != ToyFamily.PATTERN) withoutStripes.add(i.text());
    VocabularyGrowth.grow(model, output, GrammarBpe.learn(withoutStripes), 1);
    return output;
  }

  /**
   * A model trained before the stripes family existed (made here from the bundled one: its
   * vocabulary cut back to the grammar without stripes, as v2's lineage was) cannot say those
   * instructions; grown, it says them one token per word, and what it could say before still
   * encodes to the same bits.
   */
  @Test
  void aModelThatPredatesStripesGrownSaysThemAndEncodesItsOldWordsAsBefore() throws IOException {
    Path older = predatingStripes(ToyModelTest.MODEL, dir.resolve("older"));
    Path grown = dir.resolve("grown");
    VocabularyGrowth.Grown g = VocabularyGrowth.grow(older, grown, ToyModelLayout.vocabulary(), 1);
    String stripes = "add stripes to the background";
    assertFalse(
        ToyTrainer.drawnOdds("", ClipTokenizer.load(older.resolve("tokenizer")))
            .toString()
            .contains("pattern"),
        "the older model cannot say stripes");
    assertEquals(5, ClipTokenizer.load(grown.resolve("tokenizer")).tokens(stripes).size());
    assertTrue(
        g.newTokens().containsAll(List.of("stripes</w>", "add</w>", "to</w>")), g.toString());
    assertTrue(
        ToyTrainer.drawnOdds("", ClipTokenizer.load(grown.resolve("tokenizer")))
            .toString()
            .contains("pattern"));
    List<String> old = List.of("make the circle red", "invert the colours", "make it grayscale");
    try (NDManager m = NDManager.newBaseManager();
        InstructPix2PixPipeline before =
            InstructPix2PixPipeline.load(older, Device.cpu(), DataType.FLOAT32, 0);
        InstructPix2PixPipeline after =
            InstructPix2PixPipeline.load(grown, Device.cpu(), DataType.FLOAT32, 0)) {
      assertArrayEquals(
          before.encodePrompts(m, old).toFloatArray(), after.encodePrompts(m, old).toFloatArray());
    }
    assertArrayEquals(
        Files.readAllBytes(ToyModelLayout.weightsFile(older, "unet")),
        Files.readAllBytes(ToyModelLayout.weightsFile(grown, "unet")));
    IOException exists =
        assertThrows(
            IOException.class,
            () -> VocabularyGrowth.grow(older, grown, ToyModelLayout.vocabulary(), 1));
    assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
  }
}
