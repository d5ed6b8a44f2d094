package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.toy.FamilyOdds;
import dev.viaspark.toy.ToyAccuracy;
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

  @Test
  void describesAStripeEditsPatternFitAndNoFitForOtherEdits() {
    ToyExample stripes = ToyDataset.example(0, 64, FamilyOdds.parse("pattern=1"));
    String line =
        ToyEvaluation.describeExample(3, stripes, ToyAccuracy.score(stripes, stripes.target()));
    assertTrue(line.contains("\"add stripes to the background\""), line);
    assertTrue(line.contains(" pattern fit 1.00, "), line);
    assertTrue(line.endsWith(": correct"), line);

    ToyExample shape = ToyDataset.example(0, 64, FamilyOdds.parse("shape=1"));
    String unchanged =
        ToyEvaluation.describeExample(4, shape, ToyAccuracy.score(shape, shape.source()));
    assertFalse(unchanged.contains("pattern fit"), unchanged);
    assertTrue(unchanged.endsWith(": wrong"), unchanged);
  }
}
