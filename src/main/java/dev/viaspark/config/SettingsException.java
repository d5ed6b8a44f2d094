package dev.viaspark.config;

import java.util.List;

/**
 * Invalid configuration: every problem found, each naming its key. Raised before any Spark work
 * starts.
 */
public class SettingsException extends RuntimeException {
  private final List<String> problems;

  public SettingsException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
