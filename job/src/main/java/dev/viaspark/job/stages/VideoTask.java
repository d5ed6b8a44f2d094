package dev.viaspark.job.stages;

import dev.viaspark.config.ViasparkSettings;
import java.io.Serializable;

/**
 * One input video of the job with its instruction and effective settings. {@code error} is set when
 * the row is already known to fail (bad per-row override, output name clash): it goes straight to
 * the report.
 */
public record VideoTask(
    int id,
    String input,
    String outputOverride,
    String instruction,
    ViasparkSettings settings,
    String error)
    implements Serializable {

  public VideoTask withSettings(ViasparkSettings s) {
    return new VideoTask(id, input, outputOverride, instruction, s, error);
  }

  VideoTask failed(String why) {
    return new VideoTask(id, input, outputOverride, instruction, settings, why);
  }
}
