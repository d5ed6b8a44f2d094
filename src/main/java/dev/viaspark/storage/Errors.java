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
}
