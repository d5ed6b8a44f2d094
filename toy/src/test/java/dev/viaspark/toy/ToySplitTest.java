package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ToySplitTest {
  @Test
  void everySeedIsInExactlyOneSplitAndAboutOneInTenIsHeldOut() {
    int held = 0;
    for (long seed = 0; seed < 100_000; seed++) {
      assertTrue(ToySplit.TRAIN.contains(seed) != ToySplit.HELD_OUT.contains(seed));
      if (ToySplit.of(seed) == ToySplit.HELD_OUT) held++;
    }
    assertTrue(held > 9_500 && held < 10_500, held + " held out");
  }

  @Test
  void trainingSeedsNeverOverlapHeldOutOnes() {
    Set<Long> train = ToySplit.TRAIN.seeds(0).limit(20_000).boxed().collect(Collectors.toSet());
    Set<Long> heldOut = ToySplit.HELD_OUT.seeds(0).limit(2_000).boxed().collect(Collectors.toSet());
    assertEquals(20_000, train.size());
    assertEquals(2_000, heldOut.size());
    assertTrue(heldOut.stream().noneMatch(train::contains));
    assertTrue(
        ToySplit.TRAIN.seeds(-5_000).limit(1_000).allMatch(s -> ToySplit.of(s) == ToySplit.TRAIN));
  }

  @Test
  void heldOutFramesAreNotAmongTrainingFrames() {
    Set<ByteBuffer> train = new HashSet<>();
    ToySplit.TRAIN.seeds(0).limit(1_000).forEach(s -> train.add(frame(s)));
    assertTrue(ToySplit.HELD_OUT.seeds(0).limit(100).noneMatch(s -> train.contains(frame(s))));
  }

  private static ByteBuffer frame(long seed) {
    return ByteBuffer.wrap(ToyDataset.example(seed).source().rgb());
  }
}
