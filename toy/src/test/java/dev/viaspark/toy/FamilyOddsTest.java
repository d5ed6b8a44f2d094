package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FamilyOddsTest {
  @Test
  void drawsEachFamilyAtItsShareAndNeverOneLeftOut() {
    FamilyOdds odds = FamilyOdds.parse("shape=6, background=3,invert=1");
    Map<ToyFamily, Integer> counts = new EnumMap<>(ToyFamily.class);
    SplittableRandom rng = new SplittableRandom(5);
    int n = 20_000;
    for (int i = 0; i < n; i++) counts.merge(odds.draw(rng), 1, Integer::sum);
    assertEquals(Set.of(ToyFamily.SHAPE, ToyFamily.BACKGROUND, ToyFamily.INVERT), counts.keySet());
    assertEquals(0.6, counts.get(ToyFamily.SHAPE) / (double) n, 0.015);
    assertEquals(0.3, counts.get(ToyFamily.BACKGROUND) / (double) n, 0.015);
    assertEquals("shape=0.6000,background=0.3000,invert=0.1000", odds.toString());
  }

  @Test
  void leavingAFamilyOutScalesTheOthersUp() {
    FamilyOdds odds = FamilyOdds.STANDARD.without(Set.of(ToyFamily.PATTERN));
    assertEquals(0, odds.weight(ToyFamily.PATTERN));
    assertEquals(
        ToyFamily.SHAPE.weight() / (1 - ToyFamily.PATTERN.weight()),
        odds.weight(ToyFamily.SHAPE),
        1e-12);
  }

  @Test
  void examplesDrawnWithOddsKeepToTheirFamilies() {
    FamilyOdds shapes = FamilyOdds.parse("shape=1");
    for (long seed = 0; seed < 40; seed++) {
      ToyInstruction i = ToyDataset.example(seed, ToyFrame.SIZE, shapes).instruction();
      // the last resort of a scene where nothing else qualifies is "make the background black"
      assertTrue(
          i.family() == ToyFamily.SHAPE
              || i.equals(new ToyInstruction.RecolourBackground(ToyColor.BLACK)),
          seed + ": " + i.text());
    }
  }

  @Test
  void badOddsNameWhatIsWrong() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> FamilyOdds.parse("shapes=1"))
            .getMessage()
            .contains("no family 'shapes' (families: shape, background"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> FamilyOdds.parse("shape=x"))
            .getMessage()
            .contains("weight 'x' is not a number"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> FamilyOdds.parse("shape=0"))
            .getMessage()
            .contains("every weight is 0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> FamilyOdds.parse("shape"))
            .getMessage()
            .contains("'shape' is not family=weight"));
  }
}
