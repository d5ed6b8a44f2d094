package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.ImageCodec;
import java.io.File;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyDatasetTest {
  @TempDir File dir;

  @Test
  void anExampleIsTheSameForTheSameSeed() {
    for (long seed = 0; seed < 20; seed++) {
      ToyExample a = ToyDataset.example(seed), b = ToyDataset.example(seed);
      assertEquals(a.instruction(), b.instruction());
      assertEquals(a.frame(), b.frame());
      assertArrayEquals(a.target().rgb(), b.target().rgb());
    }
  }

  @Test
  void stripesDrawnWithOneGeometryAllHaveItAndStillCountAsRight() {
    FamilyOdds stripes = FamilyOdds.parse("pattern=1");
    int colours = 0;
    for (long seed = 0; seed < 12; seed++) {
      ToyExample any = ToyDataset.example(seed, 64, stripes);
      ToyExample one = ToyDataset.example(seed, 64, stripes, StripeDraw.ONE);
      assertTrue(one.instruction() instanceof ToyInstruction.StripeBackground);
      assertEquals(any.instruction(), one.instruction(), "the same draw, bar the geometry");
      assertEquals(any.frame(), one.frame());
      boolean[] counted = ToyAccuracy.regionInterior(one.owners(), one.region(), 64, 64);
      StripeFinder.Found found = StripeFinder.find(one.source(), one.target(), counted);
      assertEquals(StripeDraw.ONE_PATTERN.angle(), found.pattern().angle(), "seed " + seed);
      assertEquals(StripeDraw.ONE_PATTERN.period(), found.pattern().period(), "seed " + seed);
      assertEquals(0, found.pattern().phase(), 0.1, "seed " + seed);
      assertTrue(ToyAccuracy.score(any, one.target()).correct(), "judged by class: seed " + seed);
      if (!Arrays.equals(
          bandColour(one), bandColour(ToyDataset.example(0, 64, stripes, StripeDraw.ONE))))
        colours++;
    }
    assertTrue(colours > 0, "the colour is still drawn");
  }

  private static int[] bandColour(ToyExample ex) {
    boolean[] counted = ToyAccuracy.regionInterior(ex.owners(), ex.region(), 64, 64);
    double[] c = StripeFinder.find(ex.source(), ex.target(), counted).bandColour();
    return new int[] {
      (int) Math.round(c[0] / 16), (int) Math.round(c[1] / 16), (int) Math.round(c[2] / 16)
    };
  }

  @Test
  void everyExampleVisiblyChangesItsRegion() {
    for (long seed = 0; seed < 300; seed++) {
      ToyExample ex = ToyDataset.example(seed);
      assertTrue(
          ex.regionPixels() >= ToyDataset.MIN_REGION_SHARE * 64 * 64,
          "seed " + seed + ": " + ex.regionPixels());
      assertTrue(
          ex.meanChange() >= ToyDataset.MIN_MEAN_CHANGE, "seed " + seed + ": " + ex.meanChange());
      assertTrue(ToyInstructions.isApplicable(ex.frame().scene(), ex.instruction()));
    }
  }

  @Test
  void aShapeExampleOnAFrameWithAnotherShapeKindHasATwinNamingThatKind() {
    int twins = 0;
    for (long seed = 0; seed < 300; seed++) {
      ToyExample ex = ToyDataset.example(seed);
      Optional<ToyExample> twin = ToyDataset.twin(ex, new SplittableRandom(seed));
      if (!(ex.instruction() instanceof ToyInstruction.RecolourShape named)) {
        assertTrue(twin.isEmpty(), "seed " + seed + ": " + ex.instruction().text());
        continue;
      }
      if (twin.isEmpty()) continue;
      twins++;
      ToyExample t = twin.get();
      ToyInstruction.RecolourShape other = (ToyInstruction.RecolourShape) t.instruction();
      assertEquals(named.colour(), other.colour(), "seed " + seed);
      assertNotEquals(named.shape(), other.shape(), "seed " + seed);
      assertSame(ex.frame(), t.frame());
      assertArrayEquals(ex.source().rgb(), t.source().rgb());
      assertTrue(t.meanChange() >= ToyDataset.MIN_MEAN_CHANGE, "seed " + seed);
      for (int p = 0; p < ex.region().length; p++) {
        assertFalse(ex.region()[p] && t.region()[p], "seed " + seed + ": the regions overlap");
      }
    }
    assertTrue(twins >= 20, "only " + twins + " of 300 examples have a twin");
  }

  @Test
  void writesPngPairsRegionsAndInstructions() throws Exception {
    ToyDataset.writeSamples(dir, 3, 100);
    List<String> lines = Files.readAllLines(new File(dir, "instructions.txt").toPath());
    assertEquals(3, lines.size());
    for (int i = 0; i < 3; i++) {
      ToyExample ex = ToyDataset.example(100 + i);
      assertEquals(
          String.format(
              "%04d\t%d\t%s\t%s", i, 100 + i, ToySplit.of(100 + i), ex.instruction().text()),
          lines.get(i));
      byte[] png = Files.readAllBytes(new File(dir, String.format("%04d-target.png", i)).toPath());
      assertArrayEquals(ex.target().rgb(), ImageCodec.decode(png).rgb());
      assertTrue(new File(dir, String.format("%04d-source.png", i)).isFile());
      assertTrue(new File(dir, String.format("%04d-region.png", i)).isFile());
    }
  }
}
