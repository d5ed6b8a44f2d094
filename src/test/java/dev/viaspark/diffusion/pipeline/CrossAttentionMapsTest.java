package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionCall;
import dev.viaspark.diffusion.attention.GuidanceBranch;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossAttentionMapsTest {
  private static final List<GuidanceBranch> BRANCHES = List.of(GuidanceBranch.values());

  /** q and k of a layer whose query i looks only at token i; the other branches look nowhere. */
  private static NDArray[] layer(NDManager m, int cells) {
    float[] q = new float[3 * cells * 4], k = new float[3 * 4 * 4];
    for (int i = 0; i < cells; i++) q[i * 4 + i % 4] = 1f;
    for (int t = 0; t < 4; t++) k[t * 4 + t] = 40f;
    return new NDArray[] {m.create(q, new Shape(3, cells, 4)), m.create(k, new Shape(3, 4, 4))};
  }

  private static AttentionCall call(boolean self) {
    return new AttentionCall("mid_block.attn2", self, 0, 999f, BRANCHES, 1, 1);
  }

  @Test
  void theInstructedBranchsAttentionToTheWordsIsSummedAtTheLatentsSize() {
    try (NDManager m = NDManager.newBaseManager()) {
      CrossAttentionMaps maps = new CrossAttentionMaps(new int[][] {{2}}, 4, 4, 4);
      NDArray[] coarse = layer(m, 4); // a 2x2 layer over 4x4 latents: query 2 is the lower left
      assertNull(maps.apply(call(false), coarse[0], coarse[1], coarse[1]));
      maps.apply(call(true), coarse[0], coarse[1], coarse[1]); // self-attention is not counted
      NDArray map = maps.take();
      assertArrayEquals(new long[] {1, 1, 4, 4}, map.getShape().getShape());
      float[] v = map.toFloatArray();
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          boolean lowerLeft = y >= 2 && x < 2;
          float value = v[y * 4 + x];
          assertTrue(lowerLeft ? value > 0.99f : value < 0.01f, y + "," + x + ": " + value);
        }
      }
      assertNull(maps.take(), "taken");
    }
  }

  @Test
  void aLayerWhoseGridDoesNotFitTheLatentsIsLeftOut() {
    try (NDManager m = NDManager.newBaseManager()) {
      CrossAttentionMaps maps = new CrossAttentionMaps(new int[][] {{1}}, 4, 4, 4);
      NDArray[] odd = layer(m, 3);
      maps.apply(call(false), odd[0], odd[1], odd[1]);
      assertNull(maps.take());
      assertEquals(4, layer(m, 4)[1].getShape().get(1));
    }
  }
}
