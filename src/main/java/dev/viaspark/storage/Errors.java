package dev.viaspark.storage;

import dev.viaspark.video.VideoException;

/** Turns exceptions into one-line errors that start from the file the user gave. */
public final class Errors {
  private Errors() {}

  /**
   * A message that names the input and the cause. Messages that name another file (a local copy, a
   * temporary segment) get the input prefixed, so every report error starts from what the user
   * gave.
   */
  public static String describe(String file, Throwable e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (msg.contains(file)) return msg;
    String local = file.startsWith("file:") ? file.substring("file:".length()) : file;
    if (e instanceof VideoException && msg.startsWith(local + ":")) return msg;
    return file + ": " + msg;
  }

  /** Whether {@code e} or one of its causes is the operating system's "no space left on device". */
  public static boolean diskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")))
        return true;
    }
    return false;
  }
}
