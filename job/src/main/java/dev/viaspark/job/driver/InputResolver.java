package dev.viaspark.job.driver;

import dev.viaspark.cli.UsageException;
import dev.viaspark.config.SettingsException;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.job.stages.VideoTask;
import dev.viaspark.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Turns --input into the job's videos: a video file, a folder of videos, a glob, or a manifest
 * (CSV, JSON Lines or Parquet with columns video, instruction, optional output and optional per-row
 * setting overrides).
 */
public final class InputResolver {
  static final String VIDEO = "video";
  static final String INSTRUCTION = "instruction";
  static final String OUTPUT = "output";

  private InputResolver() {}

  static boolean isManifest(String input) {
    String n = input.toLowerCase(Locale.ROOT);
    return n.endsWith(".csv")
        || n.endsWith(".jsonl")
        || n.endsWith(".json")
        || n.endsWith(".parquet");
  }

  static List<VideoTask> resolve(
      String input,
      String cliInstruction,
      JobConfig config,
      ViasparkSettings base,
      Storage storage,
      SparkSession spark)
      throws IOException {
    if (isManifest(input)) return fromManifest(input, cliInstruction, config, base, storage, spark);
    List<String> files = storage.list(input);
    if (files.isEmpty()) {
      // a missing single file is reported as a failed row, like any other unreadable input
      if (!input.matches(".*[*?\\[{].*") && !storage.exists(input))
        files = List.of(storage.path(input).toString());
      else throw new UsageException("--input " + input + ": no files found");
    }
    List<VideoTask> tasks = new ArrayList<>();
    String instruction = cliInstruction != null ? cliInstruction : base.instruction;
    for (String f : files) tasks.add(new VideoTask(tasks.size(), f, null, instruction, base, null));
    return tasks;
  }

  private static List<VideoTask> fromManifest(
      String manifest,
      String cliInstruction,
      JobConfig config,
      ViasparkSettings base,
      Storage storage,
      SparkSession spark) {
    String uri = storage.path(manifest).toString();
    if (!storage.exists(uri))
      throw new UsageException("--input " + manifest + ": no such manifest");
    String n = manifest.toLowerCase(Locale.ROOT);
    Dataset<Row> rows;
    if (n.endsWith(".csv")) rows = spark.read().option("header", "true").csv(uri);
    else if (n.endsWith(".parquet")) rows = spark.read().parquet(uri);
    else rows = spark.read().json(uri);
    List<String> columns = List.of(rows.columns());
    if (!columns.contains(VIDEO)) {
      throw new UsageException(
          "manifest " + manifest + ": no '" + VIDEO + "' column (columns: " + columns + ")");
    }
    if (columns.contains("_corrupt_record")) {
      throw new UsageException("manifest " + manifest + ": some lines are not valid JSON");
    }
    Path folder = storage.path(uri).getParent();
    List<VideoTask> tasks = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      int id = tasks.size();
      String video = str(r, VIDEO);
      if (video == null || video.isBlank()) {
        tasks.add(
            new VideoTask(
                id,
                "(row " + (id + 1) + ")",
                null,
                "",
                base,
                "manifest row " + (id + 1) + ": empty video"));
        continue;
      }
      String resolved =
          new Path(video).toUri().getScheme() != null || video.startsWith("/")
              ? storage.path(video).toString()
              : new Path(folder, video).toString();
      Map<String, String> overrides = new LinkedHashMap<>();
      for (String c : columns) {
        if (c.equals(VIDEO) || c.equals(INSTRUCTION) || c.equals(OUTPUT)) continue;
        String v = str(r, c);
        if (v != null && !v.isEmpty()) overrides.put(c, v);
      }
      String instruction =
          rowInstruction(str(r, INSTRUCTION), overrides, cliInstruction, base.instruction);
      String output = str(r, OUTPUT);
      try {
        ViasparkSettings settings = overrides.isEmpty() ? base : config.layers(overrides).resolve();
        tasks.add(new VideoTask(id, resolved, output, instruction, settings, null));
      } catch (SettingsException e) {
        tasks.add(
            new VideoTask(
                id,
                resolved,
                output,
                instruction,
                base,
                "manifest row " + (id + 1) + ": " + String.join("; ", e.problems())));
      }
    }
    return tasks;
  }

  /**
   * A manifest row's instruction: its {@code instruction} column, else its {@code edit.instruction}
   * column (a setting column like any other, which a row means as its instruction), else {@code
   * --instruction}, else the configured {@code edit.instruction}.
   */
  static String rowInstruction(
      String column, Map<String, String> overrides, String cliInstruction, String configured) {
    if (column != null) return column;
    for (String key : List.of("edit.instruction", "viaspark.edit.instruction")) {
      if (overrides.containsKey(key)) return overrides.get(key);
    }
    return cliInstruction != null ? cliInstruction : configured;
  }

  /**
   * The cell as text, or null when it is empty or the manifest has no such column (output and
   * instruction are optional).
   */
  private static String str(Row r, String column) {
    if (!List.of(r.schema().fieldNames()).contains(column)) return null;
    Object v = r.getAs(column);
    return v == null ? null : v.toString();
  }
}
