package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.viaspark.toy.Rgb;
import dev.viaspark.toy.ShapeKind;
import dev.viaspark.toy.ToyBackground;
import dev.viaspark.toy.ToyColor;
import dev.viaspark.toy.ToyEdit;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.toy.ToyInstruction;
import dev.viaspark.toy.ToyScene;
import dev.viaspark.toy.ToyShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeWeightsTest {
  // a square filling latent pixels (2..5, 2..5) exactly, a circle far from it
  private static final ToyFrame FRAME =
      new ToyFrame(
          0,
          new ToyScene(
              new ToyBackground.Plain(new Rgb(80, 80, 80)),
              List.of(
                  new ToyShape(ShapeKind.SQUARE, ToyColor.WHITE, 16 / 64.0, 16 / 64.0, 8 / 64.0),
                  new ToyShape(ShapeKind.CIRCLE, ToyColor.GREEN, 48 / 64.0, 48 / 64.0, 8 / 64.0))),
          1.0);

  @Test
  void theShapesAnInstructionLeavesAloneWeighMore() {
    ToyExample redCircle =
        ToyEdit.example(
            FRAME, new ToyInstruction.RecolourShape(ShapeKind.CIRCLE, ToyColor.RED), 64, 64);
    float[] map = new ShapeWeights(3, 0).of(redCircle, 16, 16);
    assertEquals(4f, map[4 * 16 + 4], "inside the square, which must stay white");
    assertEquals(1f, map[12 * 16 + 12], "inside the circle, which the instruction names");
    assertEquals(1f, map[0], "the background");
    assertEquals(1f, map[4 * 16 + 12], "the background");
    float edge = map[1 * 16 + 2];
    assertEquals(1f, edge, "a block above the square's top edge");
  }

  @Test
  void theShapesAnInstructionNamesCanWeighMoreToo() {
    ToyExample redCircle =
        ToyEdit.example(
            FRAME, new ToyInstruction.RecolourShape(ShapeKind.CIRCLE, ToyColor.RED), 64, 64);
    float[] map = new ShapeWeights(3, 2).of(redCircle, 16, 16);
    assertEquals(4f, map[4 * 16 + 4], "the square, left alone");
    assertEquals(3f, map[12 * 16 + 12], "the circle, named");
    assertEquals(1f, map[0], "the background");
    assertThrows(IllegalArgumentException.class, () -> new ShapeWeights(1, -1));
  }

  @Test
  void aBackgroundEditWeighsEveryShapeAndAGlobalEditNone() {
    ToyExample black =
        ToyEdit.example(FRAME, new ToyInstruction.RecolourBackground(ToyColor.BLACK), 64, 64);
    float[] map = new ShapeWeights(2, 0).of(black, 16, 16);
    assertEquals(3f, map[4 * 16 + 4]);
    assertEquals(3f, map[12 * 16 + 12]);
    assertEquals(1f, map[0]);
    ToyExample grey = ToyEdit.example(FRAME, ToyInstruction.parse("make it grayscale"), 64, 64);
    for (float w : new ShapeWeights(2, 0).of(grey, 16, 16)) assertEquals(1f, w);
  }

  @Test
  void aLatentThatDoesNotDivideTheFrameIsRefused() {
    ToyExample ex =
        ToyEdit.example(FRAME, new ToyInstruction.RecolourBackground(ToyColor.BLACK), 64, 64);
    assertThrows(IllegalArgumentException.class, () -> new ShapeWeights(1, 0).of(ex, 10, 10));
  }
}
