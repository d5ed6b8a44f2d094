package dev.viaspark.edit.diffusion;

import dev.viaspark.config.ViasparkSettings.SeedGenerator;
import dev.viaspark.config.ViasparkSettings.SeedMode;
import dev.viaspark.diffusion.schedulers.NoiseSource;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import dev.viaspark.diffusion.schedulers.TorchNoise;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The noise seed of a frame: from (seed, input video's file name) in shared mode, so every frame of
 * a video starts from the same noise, or from (seed, file name, frame index) in per-frame mode.
 * Never from the executor, partition or batch, and not from the video's folder: an archive that
 * moves, or the demo run in another folder, edits the same. With PyTorch's generator the seed is
 * one a diffusers user can type: the seed itself, plus the frame index in per-frame mode.
 */
final class FrameSeeds {
  private FrameSeeds() {}

  /** The noise a frame's edit draws from. */
  static NoiseSource noise(
      long seed, String video, int frameIndex, SeedMode mode, SeedGenerator generator) {
    return generator == SeedGenerator.TORCH
        ? new TorchNoise(mode == SeedMode.PER_FRAME ? seed + frameIndex : seed)
        : new SeededNoise(of(seed, video, frameIndex, mode));
  }

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
