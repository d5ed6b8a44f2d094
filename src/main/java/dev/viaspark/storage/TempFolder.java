package dev.viaspark.storage;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary local folder that deletes itself, with everything in it, when closed: {@code try
 * (TempFolder tmp = TempFolder.create("viaspark-probe")) { ... tmp.dir() ... }}.
 */
public final class TempFolder implements AutoCloseable {
  private final File dir;

  private TempFolder(Path dir) {
    this.dir = dir.toFile();
  }

  /** A new folder in the JVM's temporary directory. */
  public static TempFolder create(String prefix) throws IOException {
    return new TempFolder(Files.createTempDirectory(prefix));
  }

  /**
   * A new folder inside {@code parent} (for staging next to where a result is moved atomically).
   */
  public static TempFolder createIn(Path parent, String prefix) throws IOException {
    return new TempFolder(Files.createTempDirectory(parent, prefix));
  }

  public File dir() {
    return dir;
  }

  public Path path() {
    return dir.toPath();
  }

  @Override
  public void close() {
    deleteTree(dir);
  }

  /**
   * Deletes a file or a folder with everything in it; what cannot be deleted is left (temporary
   * files only).
   */
  public static void deleteTree(File root) {
    if (root == null || !root.exists()) return;
    try (Stream<Path> s = Files.walk(root.toPath())) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temporary files only: a leftover is harmless
    }
  }
}
