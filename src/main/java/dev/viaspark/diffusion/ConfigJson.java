package dev.viaspark.diffusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** A model component's {@code config.json}, read with errors that name the file and the key. */
public final class ConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String source;
  private final JsonNode root;

  public ConfigJson(String source, JsonNode root) {
    this.source = source;
    this.root = root;
  }

  public static ConfigJson read(Path file) {
    try {
      return new ConfigJson(file.toString(), JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read config: " + e.getMessage(), e);
    }
  }

  public JsonNode node() {
    return root;
  }

  public String source() {
    return source;
  }

  public boolean has(String key) {
    JsonNode n = root.get(key);
    return n != null && !n.isNull();
  }

  public int integer(String key) {
    JsonNode n = require(key);
    if (!n.canConvertToInt()) throw bad(key, "an integer", n);
    return n.asInt();
  }

  public int integer(String key, int fallback) {
    return has(key) ? integer(key) : fallback;
  }

  public double number(String key, double fallback) {
    if (!has(key)) return fallback;
    JsonNode n = root.get(key);
    if (!n.isNumber()) throw bad(key, "a number", n);
    return n.asDouble();
  }

  public boolean bool(String key, boolean fallback) {
    if (!has(key)) return fallback;
    JsonNode n = root.get(key);
    if (!n.isBoolean()) throw bad(key, "true or false", n);
    return n.asBoolean();
  }

  public String string(String key, String fallback) {
    if (!has(key)) return fallback;
    JsonNode n = root.get(key);
    if (!n.isTextual()) throw bad(key, "a string", n);
    return n.asText();
  }

  public int[] integers(String key) {
    JsonNode n = require(key);
    if (!n.isArray() || n.isEmpty()) throw bad(key, "a non-empty list of integers", n);
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).canConvertToInt()) throw bad(key, "a list of integers", n);
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  /**
   * An integer or a list of {@code count} integers (diffusers accepts both for per-block values).
   */
  public int[] perBlock(String key, int count, Integer fallback) {
    if (!has(key)) {
      if (fallback == null)
        throw new IllegalArgumentException(source + ": missing key \"" + key + "\"");
      int[] out = new int[count];
      Arrays.fill(out, fallback);
      return out;
    }
    JsonNode n = root.get(key);
    if (n.canConvertToInt()) {
      int[] out = new int[count];
      Arrays.fill(out, n.asInt());
      return out;
    }
    int[] list = integers(key);
    if (list.length != count) throw bad(key, "an integer or a list of " + count + " integers", n);
    return list;
  }

  public String[] strings(String key) {
    JsonNode n = require(key);
    if (!n.isArray()) throw bad(key, "a list of strings", n);
    String[] out = new String[n.size()];
    for (int i = 0; i < out.length; i++) out[i] = n.get(i).asText();
    return out;
  }

  private JsonNode require(String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull())
      throw new IllegalArgumentException(source + ": missing key \"" + key + "\"");
    return n;
  }

  public IllegalArgumentException bad(String key, String expected, Object actual) {
    return new IllegalArgumentException(
        source + ": \"" + key + "\" must be " + expected + ", found " + actual);
  }
}
