package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.toy.ToyInstruction.RecolourShape;
import dev.viaspark.video.VideoFrame;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToyEditTest {
  @Test
  void everyApplicableEditChangesOnlyItsRegionAndGivesItTheInstructedColour() {
    int checked = 0;
    for (long seed = 0; seed < 40; seed++) {
      ToyFrame frame = ToyVideoSampler.sample(seed).at(7);
      for (ToyInstruction i : ToyInstructions.applicable(frame.scene())) {
        ToyExample ex = ToyEdit.example(frame, i, 64, 64);
        byte[] s = ex.source().rgb(), t = ex.target().rgb();
        for (int p = 0; p < ex.region().length; p++) {
          int[] src = pixel(s, p), tgt = pixel(t, p);
          if (!ex.region()[p]) {
            assertArrayEquals(src, tgt, i.text() + " changed pixel " + p + " outside its region");
          } else if (ex.expectedColour() != null) {
            Rgb e = ex.expectedColour();
            assertArrayEquals(new int[] {e.r(), e.g(), e.b()}, tgt, i.text());
          } else if (i instanceof ToyInstruction.Global g) {
            assertArrayEquals(global(g.edit(), src), tgt, i.text());
          }
        }
        checked++;
      }
    }
    assertTrue(checked > 40 * 20, checked + " edits checked");
  }

  @Test
  void theRegionIsTheNamedShapeTheBackgroundOrEverything() {
    ToyFrame frame = ToyVideoSampler.sample(11).at(3);
    ToyScene scene = frame.scene();
    int[] owners = ToyRenderer.owners(scene, 64, 64);
    for (ToyInstruction i : ToyInstructions.applicable(scene)) {
      boolean[] region = ToyEdit.editRegion(scene, i, 64, 64);
      for (int p = 0; p < owners.length; p++) {
        boolean expected =
            i instanceof RecolourShape r
                ? owners[p] >= 0 && scene.shapes().get(owners[p]).kind() == r.shape()
                : i instanceof ToyInstruction.RecolourBackground
                        || i instanceof ToyInstruction.StripeBackground
                    ? owners[p] == ToyRenderer.BACKGROUND
                    : true;
        assertEquals(expected, region[p]);
      }
    }
  }

  @Test
  void aShapeEditRecoloursEveryShapeOfThatKind() {
    ToyScene scene =
        new ToyScene(
            new ToyBackground.Plain(new Rgb(80, 80, 80)),
            List.of(
                new ToyShape(ShapeKind.SQUARE, ToyColor.RED, 0.25, 0.25, 0.1),
                new ToyShape(ShapeKind.SQUARE, ToyColor.GREEN, 0.75, 0.75, 0.1),
                new ToyShape(ShapeKind.CIRCLE, ToyColor.RED, 0.25, 0.75, 0.1)));
    ToyScene edited = ToyEdit.edit(scene, new RecolourShape(ShapeKind.SQUARE, ToyColor.BLUE));
    assertEquals(
        List.of(ToyColor.BLUE, ToyColor.BLUE, ToyColor.RED),
        edited.shapes().stream().map(ToyShape::colour).toList());
  }

  @Test
  void theVideoShortcutIsTheFrameAtTheDefaultSize() {
    ToyVideo video = ToyVideoSampler.sample(5);
    ToyInstruction i = new ToyInstruction.RecolourBackground(ToyColor.BLACK);
    VideoFrame target = ToyEdit.apply(video, 9, i);
    assertEquals(9, target.index());
    assertArrayEquals(ToyEdit.apply(video.at(9), i, 0, 64, 64).rgb(), target.rgb());
    assertNull(ToyEdit.expectedColour(video.at(9), new ToyInstruction.Global(GlobalEdit.INVERT)));
  }

  @Test
  void stripesPaintBandsOfAColourNoShapeHasWhereTheAnswerSays() {
    ToyVideo video = ToyVideoSampler.sample(3);
    ToyInstruction stripes = new ToyInstruction.StripeBackground();
    Set<String> targets = new HashSet<>();
    for (long answer = 0; answer < 5; answer++) {
      ToyFrame frame = video.at(4);
      ToyExample ex = ToyEdit.example(frame, stripes, answer, 64, 64);
      var painted =
          (ToyBackground.Striped) ToyEdit.edit(frame.scene(), stripes, answer).background();
      assertTrue(
          frame.scene().shapes().stream()
              .noneMatch(sh -> sh.colour().rgb().equals(painted.colour())));
      Rgb lit = painted.colour().lit(frame.lighting());
      int banded = 0, region = 0;
      for (int p = 0; p < ex.region().length; p++) {
        if (!ex.region()[p]) continue;
        region++;
        int[] tgt = pixel(ex.target().rgb(), p);
        if (Arrays.equals(tgt, new int[] {lit.r(), lit.g(), lit.b()})) banded++;
        else
          assertArrayEquals(
              pixel(ex.source().rgb(), p), tgt, "between the bands the background stays");
      }
      assertTrue(
          banded > 0.3 * region && banded < 0.7 * region,
          banded + " of " + region + " pixels banded");
      assertEquals(
          painted,
          ToyEdit.edit(video.at(20).scene(), stripes, answer).background(),
          "same bands later");
      targets.add(Arrays.toString(ex.target().rgb()));
    }
    assertEquals(5, targets.size(), "each answer its own stripes");
  }

  private static int[] pixel(byte[] rgb, int p) {
    return new int[] {rgb[3 * p] & 0xff, rgb[3 * p + 1] & 0xff, rgb[3 * p + 2] & 0xff};
  }

  /** The global edits' formulas, written out independently. */
  private static int[] global(GlobalEdit edit, int[] c) {
    if (edit == GlobalEdit.INVERT) return new int[] {255 - c[0], 255 - c[1], 255 - c[2]};
    int y = (int) Math.round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
    return new int[] {y, y, y};
  }
}
