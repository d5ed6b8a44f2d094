package dev.viaspark.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.cli.UsageException;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.job.stages.VideoTask;
import dev.viaspark.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How --input becomes the job's videos (files, folders, globs) and a manifest row's instruction,
 * without Spark.
 */
class InputResolverTest {
  private static final JobConfig CONFIG = new JobConfig(null, List.of());
  private static final ViasparkSettings BASE = CONFIG.resolve();

  private static List<VideoTask> resolve(String input, String instruction) throws IOException {
    return InputResolver.resolve(input, instruction, CONFIG, BASE, Storage.local(), null);
  }

  private static List<String> names(List<VideoTask> tasks) {
    return tasks.stream().map(t -> Storage.fileName(t.input())).toList();
  }

  @Test
  void aFolderIsItsVisibleFilesInNameOrder(@TempDir Path dir) throws IOException {
    for (String f : List.of("b.mp4", "a.mov", ".hidden.mp4", "_SUCCESS"))
      Files.writeString(dir.resolve(f), "x");
    Files.createDirectories(dir.resolve("sub"));
    List<VideoTask> tasks = resolve(dir.toString(), "make it red");
    assertEquals(List.of("a.mov", "b.mp4"), names(tasks));
    for (int i = 0; i < tasks.size(); i++) {
      VideoTask t = tasks.get(i);
      assertEquals(i, t.id());
      assertEquals("make it red", t.instruction());
      assertNull(t.outputOverride());
      assertNull(t.error());
    }
  }

  @Test
  void aGlobIsTheFilesItMatches(@TempDir Path dir) throws IOException {
    for (String f : List.of("one.mp4", "two.mp4", "notes.txt"))
      Files.writeString(dir.resolve(f), "x");
    assertEquals(List.of("one.mp4", "two.mp4"), names(resolve(dir + "/*.mp4", null)));
    UsageException none = assertThrows(UsageException.class, () -> resolve(dir + "/*.mkv", null));
    assertEquals("--input " + dir + "/*.mkv: no files found", none.getMessage());
  }

  @Test
  void aMissingFileIsAVideoThatWillFailItsOwnRow(@TempDir Path dir) throws IOException {
    List<VideoTask> tasks = resolve(dir.resolve("gone.mp4").toString(), null);
    assertEquals(List.of("gone.mp4"), names(tasks));
    assertEquals(BASE.instruction, tasks.get(0).instruction());
  }

  @Test
  void manifestsAreKnownByTheirExtension() {
    for (String m : List.of("jobs.csv", "jobs.JSONL", "jobs.json", "s3a://b/jobs.parquet")) {
      assertTrue(InputResolver.isManifest(m), m);
    }
    for (String v : List.of("clip.mp4", "csv", "folder/"))
      assertFalse(InputResolver.isManifest(v), v);
  }

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
