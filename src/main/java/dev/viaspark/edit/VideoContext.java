package dev.viaspark.edit;

import java.io.Serializable;
import java.util.Map;

/**
 * What an editor knows about the video it is editing: identity, size, rate and the instruction.
 * Editors keep per-video state (for example a diffusion editor's K/V bank) keyed by {@link
 * #videoId()}.
 *
 * @param videoId a stable id of (input, settings): the same on every executor and every retry
 * @param options per-video settings (the effective config for this row), for editors that read
 *     their own keys
 */
public record VideoContext(
    String videoId,
    String input,
    String instruction,
    int width,
    int height,
    double fps,
    int frameCount,
    long seed,
    Map<String, String> options)
    implements Serializable {
  /** The same video with other per-video settings. */
  public VideoContext withOptions(Map<String, String> other) {
    return new VideoContext(
        videoId, input, instruction, width, height, fps, frameCount, seed, other);
  }

  /** The same video with another seed. */
  public VideoContext withSeed(long other) {
    return new VideoContext(
        videoId, input, instruction, width, height, fps, frameCount, other, options);
  }
}
