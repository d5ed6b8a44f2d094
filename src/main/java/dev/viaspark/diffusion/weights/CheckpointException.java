package dev.viaspark.diffusion.weights;

/**
 * A checkpoint that cannot be used: missing files, unreadable headers, missing or mis-shaped
 * tensors.
 */
public class CheckpointException extends RuntimeException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
