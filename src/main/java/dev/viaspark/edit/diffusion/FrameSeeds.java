package dev.viaspark.edit.diffusion;

import dev.viaspark.config.ViasparkSettings.SeedMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The noise seed of a frame: from (seed, input video's file name) in shared mode, so every frame of
 * a video starts from the same noise, or from (seed, file name, frame index) in per-frame mode.
 * Never from the executor, partition or batch, and not from the video's folder: an archive that
 * moves, or the demo run in another folder, edits the same.
 */
final class FrameSeeds {
  private FrameSeeds() {}

  /**
   * @param video the input video's URI (not the work key, which changes with unrelated settings
   *     such as segment size)
   */
  static long of(long seed, String video, int frameIndex, SeedMode mode) {
    String name = video.substring(video.lastIndexOf('/') + 1);
    String key = seed + "|" + name + (mode == SeedMode.PER_FRAME ? "|" + frameIndex : "");
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
