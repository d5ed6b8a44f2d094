package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.viaspark.toy.FamilyOdds;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ToyEvaluationTest {
  @Test
  void describesHowAFoundMaskLiesOverTheEditRegion() {
    ToyExample ex = ToyDataset.example(0, 64, FamilyOdds.parse("shape=1"));
    byte[] exact = ToyEvaluation.regionMask(ex);
    assertEquals(
        "; found mask covers 100% of the edit region, 0% of the rest",
        ToyEvaluation.describeMask(ex, exact));

    byte[] everything = new byte[exact.length];
    Arrays.fill(everything, (byte) 255);
    assertEquals(
        "; found mask covers 100% of the edit region, 100% of the rest",
        ToyEvaluation.describeMask(ex, everything));

    byte[] outsideOnly = new byte[exact.length];
    for (int p = 0; p < exact.length; p++) outsideOnly[p] = (byte) (exact[p] == 0 ? 255 : 0);
    assertEquals(
        "; found mask covers 0% of the edit region, 100% of the rest",
        ToyEvaluation.describeMask(ex, outsideOnly));
  }
}
