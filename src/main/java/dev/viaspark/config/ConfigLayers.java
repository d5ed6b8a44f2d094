package dev.viaspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective configuration from its layers (reference, --config file, manifest columns,
 * --set) and separates Spark properties ({@code spark.*}) from viaspark keys. Keys may be written
 * with or without the {@code viaspark.} prefix.
 */
public final class ConfigLayers {
  public static final String ROOT = "viaspark";

  private Config user = ConfigFactory.empty();
  private final Map<String, String> sparkProperties = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  /** The defaults: every key, from reference.conf. */
  public static Config reference() {
    return ConfigFactory.defaultReference(ConfigLayers.class.getClassLoader()).getConfig(ROOT);
  }

  /** Adds a HOCON file (lower precedence than anything added later). */
  public ConfigLayers file(File f) {
    if (!f.isFile()) {
      problems.add("--config " + f + ": no such file");
      return this;
    }
    try {
      Config c = ConfigFactory.parseFile(f).resolve();
      if (c.hasPath("spark")) {
        for (Map.Entry<String, ConfigValue> e : c.getConfig("spark").entrySet()) {
          sparkProperties.put("spark." + e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        c = c.withoutPath("spark");
      }
      if (c.hasPath(ROOT) && c.getValue(ROOT).valueType() == ConfigValueType.OBJECT) {
        c = c.getConfig(ROOT).withFallback(c.withoutPath(ROOT));
      }
      layer(normalise(c));
    } catch (ConfigException e) {
      problems.add("--config " + f + ": " + e.getMessage());
    }
    return this;
  }

  /**
   * Adds one {@code key=value} (as given to --set); {@code spark.*} keys become Spark properties.
   */
  public ConfigLayers set(String keyValue) {
    int eq = keyValue.indexOf('=');
    if (eq <= 0) {
      problems.add("--set " + keyValue + ": expected key=value");
      return this;
    }
    return set(keyValue.substring(0, eq).trim(), keyValue.substring(eq + 1).trim());
  }

  public ConfigLayers set(String key, String value) {
    if (key.startsWith("spark.")) {
      sparkProperties.put(key, value);
      return this;
    }
    if (key.startsWith(ROOT + ".")) key = key.substring(ROOT.length() + 1);
    if (key.equals("seed")) key = "seed.value";
    try {
      layer(ConfigFactory.empty().withValue(key, parseValue(value)));
    } catch (ConfigException e) {
      problems.add("--set " + key + ": " + e.getMessage());
    }
    return this;
  }

  /** Adds already-parsed keys (manifest columns), above everything added so far. */
  public ConfigLayers overrides(Map<String, String> keyValues) {
    keyValues.forEach(this::set);
    return this;
  }

  private void layer(Config c) {
    user = c.withFallback(user);
  }

  /** The user's keys only (no defaults), as given. */
  public Config userConfig() {
    return user;
  }

  public Map<String, String> sparkProperties() {
    return sparkProperties;
  }

  /**
   * Validates and returns the effective settings, or throws one {@link SettingsException} naming
   * every problem.
   */
  public ViasparkSettings resolve() {
    List<String> all = new ArrayList<>(problems);
    Config reference = reference();
    Config known = user;
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      if (!reference.hasPath(e.getKey())) {
        all.add(unknownKey(e.getKey(), reference));
        known = known.withoutPath(e.getKey());
      }
    }
    Config effective = known.withFallback(reference).resolve();
    try {
      effective.checkValid(reference);
      ViasparkSettings settings = ViasparkSettings.from(effective);
      if (all.isEmpty()) return settings;
    } catch (ConfigException.ValidationFailed e) {
      for (ConfigException.ValidationProblem p : e.problems())
        all.add(p.path() + ": " + p.problem());
    } catch (SettingsException e) {
      all.addAll(e.problems());
    }
    throw new SettingsException(all);
  }

  /** A value as HOCON would read it (number, boolean, list), else the literal string. */
  static ConfigValue parseValue(String value) {
    try {
      ConfigValue v = ConfigFactory.parseString("v = " + value).getValue("v");
      if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.OBJECT)
        return v;
    } catch (ConfigException ignored) {
      // not HOCON: a plain string such as a URI
    }
    return ConfigValueFactory.fromAnyRef(value);
  }

  /** "seed = 42" at the top level means seed.value. */
  private static Config normalise(Config c) {
    if (c.hasPath("seed") && c.getValue("seed").valueType() != ConfigValueType.OBJECT) {
      return c.withoutPath("seed").withValue("seed.value", c.getValue("seed"));
    }
    return c;
  }

  private static String unknownKey(String key, Config reference) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      int d = distance(key, e.getKey());
      if (d < bestDistance) {
        bestDistance = d;
        best = e.getKey();
      }
    }
    String hint =
        best != null && bestDistance <= Math.max(2, key.length() / 4)
            ? " (did you mean " + best + "?)"
            : "";
    return "unknown key '" + key + "'" + hint;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
