package dev.viaspark.via;

import dev.viaspark.config.ViasparkSettings;
import java.util.Arrays;

/**
 * The anchor frames of a video: {@code n} frames evenly spread over its {@code frames} frames,
 * first and last included, {@code a_i = (2i(F-1) + (n-1)) div (2(n-1))} (i(F-1)/(n-1) rounded half
 * up); one anchor is frame 0. Videos shorter than {@code n} frames get each frame once.
 */
public final class Anchors {
  private Anchors() {}

  /**
   * The anchors the settings ask for: {@code via.anchor-frames} when given, else {@code
   * via.anchors} spread evenly.
   */
  public static int[] of(ViasparkSettings settings, int frames) {
    return settings.viaAnchorFrames.length > 0
        ? settings.viaAnchorFrames
        : select(frames, settings.viaAnchors);
  }

  public static int[] select(int frames, int n) {
    if (frames <= 0)
      throw new IllegalArgumentException("a video of " + frames + " frames has no anchors");
    if (n <= 0) throw new IllegalArgumentException("via.anchors must be at least 1, got " + n);
    if (n == 1) return new int[] {0};
    long[] raw = new long[n];
    for (int i = 0; i < n; i++) raw[i] = (2L * i * (frames - 1) + (n - 1)) / (2L * (n - 1));
    return Arrays.stream(raw).distinct().mapToInt(v -> (int) v).toArray();
  }
}
