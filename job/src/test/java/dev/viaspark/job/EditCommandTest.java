package dev.viaspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.cli.UsageException;
import dev.viaspark.config.SettingsException;
import dev.viaspark.config.ViasparkSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code viaspark edit}'s arguments, checked before Spark starts. */
class EditCommandTest {
  @Test
  void flagsBecomeTheRequestAndItsSettings() {
    EditCommand.EditArgs parsed =
        EditCommand.parse(
            List.of(
                "--input",
                "in/",
                "--output",
                "out/",
                "--instruction",
                "make it winter",
                "--editor",
                "opencv:cartoon",
                "--overwrite",
                "--set",
                "edit.steps=7",
                "--set",
                "spark.master=local[2]"));
    assertEquals("in/", parsed.request().input());
    assertEquals("out/", parsed.request().output());
    assertEquals("make it winter", parsed.request().instruction());
    ViasparkSettings s = parsed.request().config().resolve();
    assertEquals("opencv:cartoon", s.editor);
    assertTrue(s.overwrite);
    assertEquals(7, s.steps);
    assertEquals("local[2]", parsed.sparkProperties().get("spark.master"));
  }

  @Test
  void sparkGetsViasparksDefaultsUnlessToldOtherwise() {
    EditCommand.EditArgs plain = EditCommand.parse(List.of("--input", "a", "--output", "b"));
    assertEquals("local[*]", SparkSessions.conf(plain.sparkProperties()).get("spark.master"));
    assertEquals("viaspark", SparkSessions.conf(plain.sparkProperties()).get("spark.app.name"));
    EditCommand.EditArgs told =
        EditCommand.parse(List.of("--input", "a", "--output", "b", "--set", "spark.master=yarn"));
    assertEquals("yarn", SparkSessions.conf(told.sparkProperties()).get("spark.master"));
  }

  @Test
  void helpParsesToNothing() {
    assertNull(EditCommand.parse(List.of("--help")));
  }

  @Test
  void missingFlagsAndBadSettingsFailBeforeSparkStarts() {
    assertEquals(
        "edit: --output is required (see viaspark edit --help)",
        assertThrows(UsageException.class, () -> EditCommand.parse(List.of("--input", "a")))
            .getMessage());
    SettingsException bad =
        assertThrows(
            SettingsException.class,
            () ->
                EditCommand.parse(
                    List.of("--input", "a", "--output", "b", "--set", "edit.steps=many")));
    assertTrue(bad.getMessage().contains("edit.steps"), bad.getMessage());
  }
}
