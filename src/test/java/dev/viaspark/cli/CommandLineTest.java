package dev.viaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static CommandLine parse(String... args) {
    return CommandLine.parse(
        "edit", List.of(args), Set.of("--input", "--set"), Set.of("--overwrite", "--help"), 1);
  }

  @Test
  void readsValuesGivenApartOrWithAnEqualsSign() {
    CommandLine cl = parse("--input", "a.mp4", "--set=edit.steps=4", "--set", "seed.value=7");
    assertEquals("a.mp4", cl.get("--input"));
    assertEquals(List.of("edit.steps=4", "seed.value=7"), cl.all("--set"));
    assertFalse(cl.has("--overwrite"));
    assertNull(cl.get("--overwrite"));
  }

  @Test
  void theLastValueOfAFlagGivenTwiceWins() {
    assertEquals("b.mp4", parse("--input", "a.mp4", "--input", "b.mp4").get("--input"));
  }

  @Test
  void switchesAndTheShortHelp() {
    CommandLine cl = parse("--overwrite", "-h", "clip.mp4");
    assertTrue(cl.has("--overwrite"));
    assertTrue(cl.has("--help"));
    assertEquals(List.of("clip.mp4"), cl.positional());
  }

  @Test
  void mistakesNameTheCommandAndTheFlag() {
    UsageException unknown = assertThrows(UsageException.class, () -> parse("--inptu", "a"));
    assertEquals("edit: unknown flag --inptu (see viaspark edit --help)", unknown.getMessage());
    assertEquals(
        "edit: --input needs a value",
        assertThrows(UsageException.class, () -> parse("--input")).getMessage());
    assertEquals(
        "edit: --overwrite takes no value",
        assertThrows(UsageException.class, () -> parse("--overwrite=yes")).getMessage());
    assertTrue(
        assertThrows(UsageException.class, () -> parse("a.mp4", "b.mp4"))
            .getMessage()
            .startsWith("edit: unexpected argument 'b.mp4'"));
  }
}
