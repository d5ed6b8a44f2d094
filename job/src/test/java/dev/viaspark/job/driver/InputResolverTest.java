package dev.viaspark.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a manifest row's instruction is chosen, without Spark. */
class InputResolverTest {
  @Test
  void theInstructionColumnWinsThenTheRowsSettingThenTheCommandLineThenTheConfig() {
    Map<String, String> setting = Map.of("edit.instruction", "make it winter");
    assertEquals(
        "make it red", InputResolver.rowInstruction("make it red", setting, "cli", "configured"));
    assertEquals(
        "make it winter", InputResolver.rowInstruction(null, setting, "cli", "configured"));
    assertEquals(
        "make it winter",
        InputResolver.rowInstruction(
            null, Map.of("viaspark.edit.instruction", "make it winter"), "cli", "configured"));
    assertEquals("cli", InputResolver.rowInstruction(null, Map.of(), "cli", "configured"));
    assertEquals(
        "configured",
        InputResolver.rowInstruction(null, Map.of("edit.steps", "4"), null, "configured"));
  }
}
