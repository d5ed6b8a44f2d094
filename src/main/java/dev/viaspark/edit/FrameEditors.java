package dev.viaspark.edit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.viaspark.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The editor registry: finds providers on the classpath and keeps one editor per (name, settings,
 * device) per JVM, so an executor loads a model once and reuses it across tasks.
 */
public final class FrameEditors {
  private static final Map<String, FrameEditor> SHARED = new ConcurrentHashMap<>();

  private FrameEditors() {}

  /** Every editor name (canonical and aliases) to its provider, sorted. */
  public static Map<String, FrameEditorProvider> byName() {
    Map<String, FrameEditorProvider> m = new TreeMap<>();
    for (FrameEditorProvider p :
        ServiceLoader.load(FrameEditorProvider.class, FrameEditors.class.getClassLoader())) {
      for (String n : p.names()) m.putIfAbsent(n, p);
    }
    return m;
  }

  /** The canonical names with their descriptions, for help texts. */
  public static List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (FrameEditorProvider p :
        ServiceLoader.load(FrameEditorProvider.class, FrameEditors.class.getClassLoader())) {
      List<String> names = p.names();
      String aliases =
          names.size() > 1
              ? " (also " + String.join(", ", names.subList(1, names.size())) + ")"
              : "";
      lines.add(String.format("%-18s %s%s", names.get(0), p.description(), aliases));
    }
    lines.sort(null);
    return lines;
  }

  public static FrameEditorProvider provider(String name) {
    FrameEditorProvider p = byName().get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown editor '"
              + name
              + "' (available: "
              + String.join(", ", byName().keySet())
              + ")");
    }
    return p;
  }

  /** The JVM-wide editor for this name, settings and device, created on first use. */
  public static FrameEditor shared(String name, Config settings, Device device) {
    return shared(name, settings, device, Storage.local());
  }

  /** As {@link #shared(String, Config, Device)}, reading models through the job's storage. */
  public static FrameEditor shared(String name, Config settings, Device device, Storage storage) {
    String key = name + "|" + device + "|" + settings.root().render(ConfigRenderOptions.concise());
    return SHARED.computeIfAbsent(key, k -> provider(name).create(name, settings, device, storage));
  }
}
