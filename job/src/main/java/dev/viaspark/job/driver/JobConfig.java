package dev.viaspark.job.driver;

import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.ViasparkSettings;
import java.io.File;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The configuration sources of a job, kept apart so that a manifest row's overrides slot in between
 * the --config file and --set (precedence: --set > manifest column > --config file >
 * reference.conf).
 */
public record JobConfig(File configFile, List<String> sets) implements Serializable {
  public ConfigLayers layers(Map<String, String> rowOverrides) {
    ConfigLayers l = new ConfigLayers();
    String systemFile = System.getProperty("config.file");
    if (systemFile != null && configFile == null) l.file(new File(systemFile));
    if (configFile != null) l.file(configFile);
    l.overrides(rowOverrides);
    sets.forEach(l::set);
    return l;
  }

  /** The job-wide settings; throws SettingsException before Spark starts if anything is wrong. */
  public ViasparkSettings resolve() {
    return layers(Map.of()).resolve();
  }

  public Map<String, String> sparkProperties() {
    return layers(Map.of()).sparkProperties();
  }
}
