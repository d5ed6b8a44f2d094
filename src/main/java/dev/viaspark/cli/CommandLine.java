package dev.viaspark.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code --flag value} style arguments against the flags a command accepts. Unknown flags,
 * missing values and unexpected positional arguments fail with a message naming them.
 */
public final class CommandLine {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  /**
   * @param valued flags that take a value (repeatable ones collect every value)
   * @param switches flags without a value
   */
  public static CommandLine parse(
      String command,
      List<String> args,
      Set<String> valued,
      Set<String> switches,
      int maxPositional) {
    CommandLine cl = new CommandLine();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")) {
        String name = a;
        String value = null;
        int eq = a.indexOf('=');
        if (eq > 0) {
          name = a.substring(0, eq);
          value = a.substring(eq + 1);
        }
        if (switches.contains(name)) {
          if (value != null) throw new UsageException(command + ": " + name + " takes no value");
          cl.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
        } else if (valued.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.size())
              throw new UsageException(command + ": " + name + " needs a value");
            value = args.get(++i);
          }
          cl.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        } else {
          throw new UsageException(
              command + ": unknown flag " + name + " (see viaspark " + command + " --help)");
        }
      } else if (a.equals("-h")) {
        cl.values.computeIfAbsent("--help", k -> new ArrayList<>()).add("true");
      } else {
        if (cl.positional.size() >= maxPositional) {
          throw new UsageException(
              command + ": unexpected argument '" + a + "' (see viaspark " + command + " --help)");
        }
        cl.positional.add(a);
      }
    }
    return cl;
  }

  public boolean has(String flag) {
    return values.containsKey(flag);
  }

  public String get(String flag) {
    List<String> v = values.get(flag);
    return v == null ? null : v.get(v.size() - 1);
  }

  public List<String> all(String flag) {
    return values.getOrDefault(flag, List.of());
  }

  public List<String> positional() {
    return positional;
  }
}
