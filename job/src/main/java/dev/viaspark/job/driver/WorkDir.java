package dev.viaspark.job.driver;

import dev.viaspark.storage.Storage;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic paths of a job's intermediate files. A video's key hashes everything its output
 * depends on (input path, size and modification time, instruction, settings, output), so a rerun
 * finds its finished segments and markers, and changed inputs or settings never reuse stale ones.
 *
 * <pre>
 * WORK/KEY/seg-00003.mkv   encoded segment 3
 * WORK/KEY/seg-00003.json  its temporal-consistency scores (when report.temporal-metrics is on)
 * WORK/KEY/bank/           the K/V bank (gather-and-swap)
 * WORK/KEY/done.json       marker: the video was assembled and committed
 * </pre>
 */
public record WorkDir(String root) implements Serializable {
  public static WorkDir forJob(String configured, String outputDir) {
    return new WorkDir(
        configured == null || configured.isBlank()
            ? Storage.join(outputDir, "_viaspark_work")
            : configured);
  }

  public static String videoKey(
      String input,
      long size,
      long modified,
      String instruction,
      String settingsHash,
      String output) {
    String s =
        String.join(
            "\n",
            input,
            Long.toString(size),
            Long.toString(modified),
            instruction,
            settingsHash,
            output);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String video(String key) {
    return Storage.join(root, key);
  }

  public String segment(String key, int index) {
    return Storage.join(video(key), String.format("seg-%05d.mkv", index));
  }

  public String segmentScores(String key, int index) {
    return Storage.join(video(key), String.format("seg-%05d.json", index));
  }

  /** The video's K/V bank folder (gather-and-swap). */
  public String bank(String key) {
    return Storage.join(video(key), "bank");
  }

  public String doneMarker(String key) {
    return Storage.join(video(key), "done.json");
  }
}
