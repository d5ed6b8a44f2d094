package dev.viaspark.job.stages;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.storage.Storage;
import java.io.File;
import java.io.IOException;
import java.util.List;

/**
 * Temporal-consistency scores kept as small JSON files in the work dir (one per segment, one per
 * finished video in its done marker), so that a rerun reusing finished work still reports them.
 */
public final class SegmentScores {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SegmentScores() {}

  static void write(Storage storage, String uri, TemporalScores scores, File tmpDir)
      throws IOException {
    storage.writeString(uri, JSON.writeValueAsString(scores) + "\n", tmpDir);
  }

  /**
   * The scores at {@code uri}, or null when there are none (written by a run with the metrics off).
   */
  static TemporalScores read(Storage storage, String uri) throws IOException {
    if (!storage.exists(uri)) return null;
    return JSON.readValue(storage.readString(uri), TemporalScores.class);
  }

  /**
   * All segments' scores merged, or null when any segment has none (a partial score would mislead).
   */
  public static TemporalScores merge(List<TemporalScores> segments) {
    TemporalScores all = TemporalScores.NONE;
    for (TemporalScores s : segments) {
      if (s == null) return null;
      all = all.merge(s);
    }
    return all;
  }
}
