package dev.viaspark.job;

import dev.viaspark.video.VideoException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Turns exceptions into the one-line errors of the report, and cleans up temporary folders. */
final class Errors {
  private Errors() {}

  /** A message that names the file and the cause. VideoExceptions already do; others get the file prefixed. */
  static String describe(String file, Throwable e) {
    if (e instanceof VideoException) return e.getMessage();
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return msg.contains(file) ? msg : file + ": " + msg;
  }

  static void deleteQuietly(File dir) {
    if (dir == null || !dir.exists()) return;
    try (Stream<Path> s = Files.walk(dir.toPath())) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temporary files only
    }
  }
}
