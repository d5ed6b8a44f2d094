package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionCall;
import dev.viaspark.diffusion.attention.GuidanceBranch;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFamily;
import dev.viaspark.toy.ToyInstruction;
import dev.viaspark.toy.ToySplit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionGroundingTest {
  private static final Path MODEL =
      Path.of(System.getProperty("viaspark.toymodel", "../models/toy-ip2p"));
  private static final int SIDE = 16;

  private static ToyExample shapeExample() {
    return ToyDataset.examples(ToySplit.HELD_OUT, 0, 64)
        .filter(e -> e.instruction().family() == ToyFamily.SHAPE)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theWordsNamingTheEditedRegionAreGrounded() {
    assertEquals(
        List.of("circle", "red"),
        AttentionGrounding.groundedWords(ToyInstruction.parse("make the circle red")));
    assertEquals(
        List.of("background", "black"),
        AttentionGrounding.groundedWords(ToyInstruction.parse("make the background black")));
    assertEquals(
        List.of("stripes", "background"),
        AttentionGrounding.groundedWords(ToyInstruction.parse("add stripes to the background")));
    assertEquals(
        List.of(), AttentionGrounding.groundedWords(ToyInstruction.parse("make it grayscale")));
  }

  /** A grounded word the tokenizer splits, or that its instruction lacks, would stop training. */
  @Test
  void everyGroundedWordIsOneTokenOfItsInstruction() {
    ClipTokenizer tokenizer = ClipTokenizer.load(MODEL.resolve("tokenizer"));
    for (ToyInstruction instruction : ToyInstruction.all()) {
      int[] ids = tokenizer.encode(instruction.text());
      for (String word : AttentionGrounding.groundedWords(instruction)) {
        assertEquals(1, tokenizer.tokens(word).size(), word + " is one token");
        int id = tokenizer.encode(word)[1];
        assertTrue(
            Arrays.stream(ids).anyMatch(i -> i == id),
            instruction.text() + " has a token for " + word);
      }
    }
  }

  @Test
  void regionSharesAddUpToTheRegionsArea() {
    ToyExample e = shapeExample();
    float total = 0;
    for (float s : AttentionGrounding.regionShares(e, SIDE)) total += s;
    assertEquals(e.regionPixels() / 16.0, total, 1e-3);
  }

  /**
   * Keys that make the region's pixels attend to the grounded words give a loss near 0; the same
   * keys read from the other pixels give a loss near 1; an example without its instruction grounds
   * nothing.
   */
  @Test
  void theLossIsLowWhenTheRegionAttendsToTheWordsAndHighWhenTheRestDoes() {
    ClipTokenizer tokenizer = ClipTokenizer.load(MODEL.resolve("tokenizer"));
    ToyExample e = shapeExample();
    int[] ids = tokenizer.encode(e.instruction().text());
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      assertNull(
          AttentionGrounding.of(
              m, List.of(e), new int[][] {ids}, new boolean[] {false}, tokenizer, latents(m)));
      float[] region = AttentionGrounding.regionShares(e, SIDE);
      float[] keys = new float[ids.length];
      for (String word : AttentionGrounding.groundedWords(e.instruction())) {
        int id = tokenizer.encode(word)[1];
        for (int p = 0; p < ids.length; p++) if (ids[p] == id) keys[p] = 20;
      }
      NDArray k = m.create(keys, new Shape(1, ids.length, 1));
      float[] inside = new float[region.length];
      for (int p = 0; p < region.length; p++) inside[p] = region[p] == 1f ? 1 : -1;
      NDArray q = m.create(inside, new Shape(1, region.length, 1));
      float toRegion = loss(m, e, ids, tokenizer, q, k);
      float toTheRest = loss(m, e, ids, tokenizer, q.neg(), k);
      assertTrue(toRegion < 0.01, "region attends to the words: " + toRegion);
      assertTrue(toTheRest > 0.9, "the rest attends to them: " + toTheRest);
    }
  }

  private static NDArray latents(NDManager m) {
    return m.zeros(new Shape(1, 4, 16, 16));
  }

  private static float loss(
      NDManager m, ToyExample e, int[] ids, ClipTokenizer tokenizer, NDArray q, NDArray k) {
    AttentionGrounding g =
        AttentionGrounding.of(
            m, List.of(e), new int[][] {ids}, new boolean[] {true}, tokenizer, latents(m));
    AttentionCall call =
        new AttentionCall("attn2", false, 0, 0f, List.of(GuidanceBranch.TEXT_IMAGE), 1, 1);
    g.apply(call, q, k, k);
    return g.loss().getFloat();
  }
}
