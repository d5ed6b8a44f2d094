package dev.viaspark.job.stages;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.storage.Storage;
import java.io.File;
import java.io.IOException;

/**
 * The marker a finished video leaves in the work dir ({@code done.json}): its committed output,
 * frame count and temporal-consistency scores (null when they were off), so a rerun that skips the
 * video still reports them.
 */
public record DoneMarker(String output, int frames, TemporalScores temporal) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  void write(Storage storage, String uri, File tmpDir) throws IOException {
    storage.writeString(uri, JSON.writeValueAsString(this) + "\n", tmpDir);
  }

  /**
   * The marker at {@code uri}; one that cannot be parsed (e.g. from an older version) reads as
   * having no scores.
   */
  public static DoneMarker read(Storage storage, String uri) throws IOException {
    String text = storage.readString(uri);
    try {
      return JSON.readValue(text, DoneMarker.class);
    } catch (IOException e) {
      return new DoneMarker(null, 0, null);
    }
  }
}
