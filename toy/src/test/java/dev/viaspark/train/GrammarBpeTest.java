package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.toy.ToyInstruction;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrammarBpeTest {
  @TempDir Path dir;

  @Test
  void everyGrammarWordIsOneTokenOfTheEnginesTokenizer() throws Exception {
    GrammarBpe bpe = ToyModelLayout.vocabulary();
    bpe.write(dir, 16);
    ClipTokenizer tokenizer = ClipTokenizer.load(dir);
    assertEquals(bpe.vocabSize(), tokenizer.vocabSize());
    assertEquals(16, tokenizer.maxLength());
    Set<Integer> ids = new HashSet<>();
    for (String word : ToyInstruction.vocabulary()) {
      assertEquals(List.of(word + "</w>"), tokenizer.tokens(word), word);
      int[] encoded = tokenizer.encode(word);
      ids.add(encoded[1]);
      assertNotEquals(encoded[2], encoded[1], word + " is not the end-of-text token");
    }
    assertEquals(ToyInstruction.vocabulary().size(), ids.size(), "one id per word");
    int[] sentence = tokenizer.encode("Make the circle red");
    assertEquals(bpe.vocabSize() - 2, sentence[0], "bos");
    assertEquals(bpe.vocabSize() - 1, sentence[5], "eos after four words");
  }

  @Test
  void wordsOutsideTheGrammarFallBackToSmallerPieces() throws Exception {
    GrammarBpe.learn(List.of("make the square blue", "make the square red")).write(dir, 16);
    ClipTokenizer tokenizer = ClipTokenizer.load(dir);
    List<String> pieces = tokenizer.tokens("squeered");
    assertEquals("squeered</w>", String.join("", pieces));
    assertTrue(pieces.size() > 1 && pieces.contains("red</w>"), pieces.toString());
    int[] ids = tokenizer.encode("squeered");
    for (int i = 1; i <= pieces.size(); i++)
      assertNotEquals(ids[pieces.size() + 1], ids[i], "known piece " + i);
  }

  @Test
  void learningIsDeterministicAndRejectsWhatByteLevelBpeWouldChange() {
    List<String> corpus = List.of("make the square blue", "make the circle blue");
    assertEquals(GrammarBpe.learn(corpus).vocabSize(), GrammarBpe.learn(corpus).vocabSize());
    assertThrows(
        IllegalArgumentException.class, () -> GrammarBpe.learn(List.of("make it 50% grey")));
    assertThrows(IllegalArgumentException.class, () -> GrammarBpe.learn(List.of(" ")));
  }
}
