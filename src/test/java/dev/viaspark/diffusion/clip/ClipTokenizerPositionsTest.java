package dev.viaspark.diffusion.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.viaspark.diffusion.TestVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTokenizerPositionsTest {
  private final ClipTokenizer tokenizer =
      ClipTokenizer.load(TestVectors.checkpoint().resolve("tokenizer"), TextCleanup.BASIC);

  @Test
  void aWordIsFoundWhereItsTokensStandInTheInstruction() {
    String text = "make the circle red";
    int[] ids = tokenizer.encode(text);
    int[] circle = tokenizer.positionsOf(text, List.of("circle"));
    List<String> word = tokenizer.tokens("circle");
    assertEquals(word.size(), circle.length);
    List<String> all = tokenizer.tokens(text);
    for (int j = 0; j < circle.length; j++) assertEquals(word.get(j), all.get(circle[j] - 1));
    int[] both = tokenizer.positionsOf(text, List.of("red", "circle"));
    assertEquals(circle.length + tokenizer.tokens("red").size(), both.length);
    assertEquals(ids.length, tokenizer.maxLength());
  }

  @Test
  void noWordsOrOnlyAbsentOnesMeanEveryTokenOfTheInstruction() {
    String text = "make the circle red";
    int n = tokenizer.tokens(text).size();
    int[] every = new int[n];
    for (int i = 0; i < n; i++) every[i] = i + 1;
    assertArrayEquals(every, tokenizer.positionsOf(text, List.of()));
    assertArrayEquals(every, tokenizer.positionsOf(text, List.of("triangle")));
  }
}
