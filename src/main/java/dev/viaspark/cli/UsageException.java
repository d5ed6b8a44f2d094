package dev.viaspark.cli;

/** Bad command-line usage: the message names the flag or value; the command exits with status 1. */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
