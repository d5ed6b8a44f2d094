package dev.viaspark.via;

/** A K/V bank that cannot be used: missing, of another format, or failing its checksums. */
public class CorruptBankException extends RuntimeException {
  public CorruptBankException(String message) {
    super(message);
  }
}
