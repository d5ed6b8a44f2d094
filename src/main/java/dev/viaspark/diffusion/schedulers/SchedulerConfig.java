package dev.viaspark.diffusion.schedulers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Typed access to a diffusers scheduler config. Missing or null keys take the scheduler's own
 * default (as diffusers' {@code register_to_config} does); a present value of the wrong type throws
 * {@link IllegalArgumentException} naming the source and key.
 */
final class SchedulerConfig {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode node;
  private final String source;

  SchedulerConfig(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(source + ": a scheduler config must be a JSON object");
    }
    this.node = node;
    this.source = source;
  }

  static SchedulerConfig read(Path file) {
    try {
      return new SchedulerConfig(JSON.readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot read the scheduler config: " + e.getMessage(), e);
    }
  }

  String source() {
    return source;
  }

  IllegalArgumentException invalid(String key, String why) {
    return new IllegalArgumentException(source + ": key " + key + ": " + why);
  }

  private JsonNode value(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  String requiredString(String key) {
    JsonNode v = value(key);
    if (v == null) throw invalid(key, "missing");
    if (!v.isTextual()) throw invalid(key, "expected a string, got " + v);
    return v.asText();
  }

  String string(String key, String defaultValue) {
    return value(key) == null ? defaultValue : requiredString(key);
  }

  /**
   * A string key mapped to an enum-like choice; {@code parse} returns null for values it does not
   * know.
   */
  <T> T choice(String key, String defaultValue, Function<String, T> parse) {
    String s = string(key, defaultValue);
    T parsed = parse.apply(s);
    if (parsed == null) throw invalid(key, "unsupported value '" + s + "'");
    return parsed;
  }

  double number(String key, double defaultValue) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    if (!v.isNumber()) throw invalid(key, "expected a number, got " + v);
    return v.asDouble();
  }

  int integer(String key, int defaultValue) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    if (!v.isIntegralNumber() || !v.canConvertToInt())
      throw invalid(key, "expected an integer, got " + v);
    return v.asInt();
  }

  boolean bool(String key, boolean defaultValue) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    if (!v.isBoolean()) throw invalid(key, "expected true or false, got " + v);
    return v.asBoolean();
  }

  /** A list of numbers, or null when the key is absent or null. */
  double[] numbers(String key) {
    JsonNode v = value(key);
    if (v == null) return null;
    if (!v.isArray()) throw invalid(key, "expected a list of numbers, got " + v.getNodeType());
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isNumber())
        throw invalid(key, "element " + i + " is not a number: " + v.get(i));
      out[i] = v.get(i).asDouble();
    }
    return out;
  }

  /** Rejects a config that turns on a diffusers feature this port does not implement. */
  void requireDefault(String key, Object defaultValue) {
    JsonNode v = value(key);
    if (v == null) return;
    boolean same =
        defaultValue instanceof Boolean b
            ? v.isBoolean() && v.asBoolean() == b
            : v.isTextual() && v.asText().equals(defaultValue);
    if (!same) throw invalid(key, "value " + v + " is not supported (only " + defaultValue + ")");
  }
}
