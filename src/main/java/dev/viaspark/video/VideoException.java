package dev.viaspark.video;

/** A video could not be read or written. The message always names the file and the cause. */
public class VideoException extends RuntimeException {
  public VideoException(String file, String cause) {
    super(file + ": " + cause);
  }

  public VideoException(String file, String cause, Throwable t) {
    super(file + ": " + cause, t);
  }
}
