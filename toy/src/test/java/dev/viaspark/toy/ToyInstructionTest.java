package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.toy.ToyInstruction.Global;
import dev.viaspark.toy.ToyInstruction.RecolourBackground;
import dev.viaspark.toy.ToyInstruction.RecolourShape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToyInstructionTest {
  @Test
  void parsingTheTextGivesTheInstructionBack() {
    List<ToyInstruction> all = ToyInstruction.all();
    assertEquals(3 * 8 + 9 + 2 + 1, all.size());
    for (ToyInstruction i : all) assertEquals(i, ToyInstruction.parse(i.text()));
    assertEquals("make the square blue", new RecolourShape(ShapeKind.SQUARE, ToyColor.BLUE).text());
    assertEquals("make the background black", new RecolourBackground(ToyColor.BLACK).text());
    assertEquals("make it grayscale", new Global(GlobalEdit.GRAYSCALE).text());
    assertEquals("add stripes to the background", new ToyInstruction.StripeBackground().text());
  }

  @Test
  void parsingForgivesCaseSpacesAndAFullStop() {
    assertEquals(
        new RecolourShape(ShapeKind.CIRCLE, ToyColor.RED),
        ToyInstruction.parse("  Make the  CIRCLE red. "));
    assertEquals(new Global(GlobalEdit.INVERT), ToyInstruction.parse("Invert the colours."));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "make the square",
        "make the square black",
        "make the hexagon red",
        "make it blue",
        "make the square blue please",
        "paint the square blue"
      })
  void parsingRejectsWhatTheGrammarCannotSay(String text) {
    assertThrows(IllegalArgumentException.class, () -> ToyInstruction.parse(text));
  }

  @Test
  void theVocabularyHoldsEveryWordOnce() {
    List<String> vocabulary = ToyInstruction.vocabulary();
    assertEquals(
        List.of(
            "add",
            "background",
            "black",
            "blue",
            "circle",
            "colours",
            "cyan",
            "grayscale",
            "green",
            "invert",
            "it",
            "magenta",
            "make",
            "orange",
            "red",
            "square",
            "stripes",
            "the",
            "to",
            "triangle",
            "white",
            "yellow"),
        vocabulary);
    for (ToyInstruction i : ToyInstruction.all()) {
      assertTrue(vocabulary.containsAll(Arrays.asList(i.text().split(" "))), i.text());
    }
  }

  @Test
  void applicableInstructionsChangeSomethingTheyName() {
    ToyScene scene =
        new ToyScene(
            new ToyBackground.Plain(new Rgb(90, 90, 120)),
            List.of(new ToyShape(ShapeKind.SQUARE, ToyColor.RED, 0.5, 0.5, 0.1)));
    List<ToyInstruction> applicable = ToyInstructions.applicable(scene);
    assertTrue(applicable.contains(new RecolourShape(ShapeKind.SQUARE, ToyColor.BLUE)));
    assertFalse(
        applicable.contains(new RecolourShape(ShapeKind.SQUARE, ToyColor.RED)), "already red");
    assertFalse(
        applicable.contains(new RecolourShape(ShapeKind.CIRCLE, ToyColor.BLUE)), "no circle");
    assertFalse(applicable.contains(new RecolourBackground(ToyColor.RED)), "would hide the square");
    assertTrue(applicable.contains(new RecolourBackground(ToyColor.BLACK)));
    assertTrue(applicable.contains(new Global(GlobalEdit.GRAYSCALE)));
    ToyScene black = scene.withBackground(new ToyBackground.Plain(ToyColor.BLACK.rgb()));
    assertFalse(
        ToyInstructions.isApplicable(black, new RecolourBackground(ToyColor.BLACK)),
        "already black");
    assertTrue(applicable.contains(new ToyInstruction.StripeBackground()));
    ToyScene striped = ToyEdit.edit(scene, new ToyInstruction.StripeBackground(), 5);
    assertFalse(
        ToyInstructions.isApplicable(striped, new ToyInstruction.StripeBackground()),
        "already striped");
  }

  @Test
  void theSamplerOnlyGivesApplicableInstructionsAndAllKinds() {
    Set<Class<?>> kinds = new HashSet<>();
    Set<ToyInstruction> seen = new HashSet<>();
    SplittableRandom rng = new SplittableRandom(7);
    for (long seed = 0; seed < 300; seed++) {
      ToyScene scene = ToyVideoSampler.sample(seed).sceneAt(0);
      for (int k = 0; k < 10; k++) {
        ToyInstruction i = ToyInstructions.sample(scene, rng);
        assertTrue(ToyInstructions.isApplicable(scene, i), i.text());
        if (i instanceof RecolourShape r) {
          assertTrue(
              scene.shapes().stream()
                  .anyMatch(s -> s.kind() == r.shape() && s.colour() != r.colour()));
        }
        kinds.add(i.getClass());
        seen.add(i);
      }
    }
    assertEquals(4, kinds.size());
    assertEquals(ToyInstruction.all().size(), seen.size(), "every instruction turns up");
  }
}
