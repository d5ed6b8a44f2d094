package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.toy.ToyAccuracy.Score;
import dev.viaspark.toy.ToyAccuracy.Thresholds;
import dev.viaspark.video.VideoFrame;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Checks the default thresholds against stand-ins for right and wrong edits on 300 held-out
 * examples, and prints the ranges each score takes (the numbers quoted in {@link ToyAccuracy}'s
 * comment).
 */
class ToyAccuracyTest {
  private static final List<ToyExample> HELD_OUT =
      ToyDataset.examples(ToySplit.HELD_OUT, 0, ToyFrame.SIZE).limit(300).toList();
  private static final Predicate<ToyExample> COLOUR_EDIT = ex -> ex.expectedColour() != null;
  private static final Predicate<ToyExample> GLOBAL_EDIT =
      ex -> ex.instruction() instanceof ToyInstruction.Global;
  private static final Predicate<ToyExample> STRIPES =
      ex -> ex.instruction() instanceof ToyInstruction.StripeBackground;

  @Test
  void theExactTargetScoresZeroAndIsCorrect() {
    for (ToyExample ex : HELD_OUT) {
      Score s = ToyAccuracy.score(ex, ex.target());
      assertEquals(0, s.insideError());
      assertEquals(0, s.outsideChange());
      if (ex.expectedColour() != null) assertEquals(0, s.colourDistance(), 1e-9);
      assertTrue(s.correct(), ex.instruction().text());
    }
  }

  @Test
  void theUneditedSourceIsNeverCorrect() {
    assertEquals(0, countCorrect("identity", COLOUR_EDIT, ToyExample::source));
    assertEquals(0, countCorrect("identity", GLOBAL_EDIT, ToyExample::source));
    assertEquals(0, countCorrect("identity", STRIPES, ToyExample::source));
  }

  @Test
  void aBlurredNoisyTargetIsStillCorrect() {
    Function<ToyExample, VideoFrame> blurry = ex -> noise(blur(ex.target()), 8, ex.frame().index());
    assertEquals(count(COLOUR_EDIT), countCorrect("blur3+noise8", COLOUR_EDIT, blurry));
    assertEquals(count(GLOBAL_EDIT), countCorrect("blur3+noise8", GLOBAL_EDIT, blurry));
    assertEquals(count(STRIPES), countCorrect("blur3+noise8", STRIPES, blurry));
  }

  @Test
  void stripesOfAnotherAnswerAreAsRightAsTheTarget() {
    assertTrue(count(STRIPES) >= 20, count(STRIPES) + " stripe examples");
    for (long answer : new long[] {1, 2, 3}) {
      assertEquals(
          count(STRIPES),
          countCorrect(
              "other answer " + answer,
              STRIPES,
              ex ->
                  noise(
                      blur(ToyEdit.apply(ex.frame(), ex.instruction(), answer, 64, 64)),
                      8,
                      answer)));
    }
  }

  @Test
  void aPlainBackgroundOrNoiseInsteadOfStripesIsIncorrect() {
    assertEquals(
        0,
        countCorrect(
            "plain instead",
            STRIPES,
            ex ->
                ToyEdit.apply(
                    ex.frame(),
                    new ToyInstruction.RecolourBackground(
                        ToyEdit.stripeColours(ex.frame().scene()).get(0)),
                    0,
                    64,
                    64)));
    assertEquals(
        0,
        countCorrect("noise40 instead", STRIPES, ex -> noise(ex.source(), 40, ex.frame().index())));
  }

  @Test
  void stripesThatAlsoRecolourAShapeAreIncorrect() {
    assertEquals(0, countCorrect("other shape too", STRIPES, ToyAccuracyTest::otherShapeToo));
  }

  @Test
  void recolouringAnotherVisibleShapeTooIsIncorrect() {
    assertEquals(0, countCorrect("other shape too", COLOUR_EDIT, ToyAccuracyTest::otherShapeToo));
  }

  @Test
  void grayscaleInsteadOfAColourEditIsIncorrect() {
    assertEquals(
        0,
        countCorrect(
            "grayscale instead",
            COLOUR_EDIT,
            ex -> ex.source().withPixels(GlobalEdit.GRAYSCALE.apply(ex.source().rgb()))));
  }

  @Test
  void aColourWithinTheThresholdIsNearerTheInstructedColourThanToAnyOther() {
    double closest = Double.MAX_VALUE;
    for (double lighting : new double[] {0.85, 1.0, 1.15}) {
      for (ToyColor a : ToyColor.values()) {
        for (ToyColor b : ToyColor.values()) {
          if (a != b)
            closest = Math.min(closest, a.rgb().lit(lighting).distance(b.rgb().lit(lighting)));
        }
      }
    }
    System.out.printf("closest lit palette colours: %.1f apart%n", closest);
    assertTrue(Thresholds.DEFAULT.colour() < closest / 2);
  }

  @Test
  void scoresRegionColourAndTheWorstOtherPartOnAHandMadeFrame() {
    // 4x4: the left half is the region (expected red), the right half two parts, 0 (top) and 1
    // (bottom)
    int[] parts = new int[16];
    boolean[] region = new boolean[16];
    byte[] source = new byte[48], edited = new byte[48];
    for (int p = 0; p < 16; p++) {
      region[p] = p % 4 < 2;
      parts[p] = p / 8;
      if (region[p]) edited[3 * p] = (byte) 200;
    }
    edited[3 * 15 + 1] = 30; // one pixel of part 1 changed by 30 in one channel
    VideoFrame src = new VideoFrame(0, 4, 4, source);
    VideoFrame target = src.withPixels(edited.clone());
    target.rgb()[3 * 15 + 1] = 0;
    Score s =
        ToyAccuracy.score(src, src.withPixels(edited), target, parts, region, new Rgb(255, 0, 0));
    // the region's interior is column 0 (column 1 touches the parts), all (200, 0, 0)
    assertEquals(55, s.colourDistance(), 1e-9);
    assertEquals(0, s.insideError());
    // part 1's interior is the corner pixel alone, changed by 30 in one of three channels; part 0
    // is unchanged
    assertEquals(10, s.outsideChange(), 1e-9);
    assertEquals(8, s.regionPixels());
    assertFalse(s.correct());
    assertTrue(s.correct(new Thresholds(60, 0, 10, 1)));
  }

  private static long count(Predicate<ToyExample> which) {
    return HELD_OUT.stream().filter(which).count();
  }

  /** How many examples the edit gets right; prints the range of each score. */
  private static long countCorrect(
      String name, Predicate<ToyExample> which, Function<ToyExample, VideoFrame> edit) {
    double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    double[] max = {0, 0, 0, 0};
    long correct = 0, n = 0;
    for (ToyExample ex : HELD_OUT) {
      VideoFrame edited = which.test(ex) ? edit.apply(ex) : null;
      if (edited == null) continue;
      Score s = ToyAccuracy.score(ex, edited);
      double[] v = {s.colourDistance(), s.insideError(), s.outsideChange(), s.patternFit()};
      for (int i = 0; i < 4; i++) {
        if (Double.isNaN(v[i])) continue;
        min[i] = Math.min(min[i], v[i]);
        max[i] = Math.max(max[i], v[i]);
      }
      n++;
      if (s.correct()) correct++;
    }
    System.out.printf(
        "%-18s %-7s n=%3d correct=%3d colour %s inside %s outside %s stripes %s%n",
        name,
        which == COLOUR_EDIT ? "colour" : which == STRIPES ? "stripes" : "global",
        n,
        correct,
        range(min[0], max[0]),
        range(min[1], max[1]),
        range(min[2], max[2]),
        min[3] > max[3] ? "-" : String.format("%.2f..%.2f", min[3], max[3]));
    return correct;
  }

  private static String range(double min, double max) {
    return min > max ? "       -    " : String.format("%5.1f..%5.1f", min, max);
  }

  /**
   * The target with also the largest other visible shape recoloured white; null when there is none
   * to recolour.
   */
  static VideoFrame otherShapeToo(ToyExample ex) {
    ToyScene scene = ToyEdit.edit(ex.frame().scene(), ex.instruction(), 0);
    int[] visible = new int[scene.shapes().size()];
    for (int o : ex.owners()) if (o != ToyRenderer.BACKGROUND) visible[o]++;
    int other = -1;
    for (int i = 0; i < visible.length; i++) {
      ToyShape s = scene.shapes().get(i);
      boolean named =
          ex.instruction() instanceof ToyInstruction.RecolourShape r && r.shape() == s.kind();
      if (!named
          && s.colour() != ToyColor.WHITE
          && visible[i] >= 20
          && (other < 0 || visible[i] > visible[other])) {
        other = i;
      }
    }
    if (other < 0) return null;
    scene = scene.withShapeColour(scene.shapes().get(other).kind(), ToyColor.WHITE);
    return ToyRenderer.render(
        scene, ex.frame().lighting(), 0, ex.source().width(), ex.source().height());
  }

  /** A 3x3 box blur, edges clamped: roughly what a small VAE's round trip does to sharp edges. */
  static VideoFrame blur(VideoFrame f) {
    int w = f.width(), h = f.height();
    byte[] in = f.rgb(), out = new byte[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          int sum = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int xx = Math.min(w - 1, Math.max(0, x + dx)),
                  yy = Math.min(h - 1, Math.max(0, y + dy));
              sum += in[(yy * w + xx) * 3 + c] & 0xff;
            }
          }
          out[(y * w + x) * 3 + c] = (byte) Math.round(sum / 9.0);
        }
      }
    }
    return f.withPixels(out);
  }

  /** Gaussian noise of standard deviation sigma on every channel, from a fixed seed. */
  static VideoFrame noise(VideoFrame f, double sigma, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] out = f.rgb().clone();
    for (int i = 0; i < out.length; i++) {
      double g =
          Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
      out[i] = (byte) Rgb.clamp((out[i] & 0xff) + sigma * g);
    }
    return f.withPixels(out);
  }
}
