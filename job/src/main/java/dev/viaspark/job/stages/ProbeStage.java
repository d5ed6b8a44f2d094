package dev.viaspark.job.stages;

import dev.viaspark.storage.Errors;
import dev.viaspark.storage.InputCache;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.FileNotFoundException;
import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The probe stage: probes every video on the executors (metadata and keyframe index, no decoding).
 */
public final class ProbeStage {
  /**
   * What the probe found, or why it failed. {@code size}/{@code modified} fingerprint the input.
   */
  public record Result(
      int taskId, VideoInfo info, long size, long modified, double seconds, String error)
      implements StageResult, Serializable {}

  private ProbeStage() {}

  public static List<Result> run(
      JavaSparkContext sc, List<VideoTask> tasks, Storage storage, JobCounters counters) {
    return SparkStage.<VideoTask, Result>named("viaspark probe: " + tasks.size() + " videos")
        .partitions(Math.max(1, Math.min(tasks.size(), sc.defaultParallelism() * 4)))
        .run(sc, tasks, counters, (t, device) -> probe(t, storage));
  }

  public static Result probe(VideoTask t, Storage storage) {
    long start = System.nanoTime();
    try {
      FileStatus status;
      try {
        status = storage.status(t.input());
      } catch (FileNotFoundException e) {
        return new Result(t.id(), null, 0, 0, 0, t.input() + ": no such file");
      }
      if (status.isDirectory())
        return new Result(t.id(), null, 0, 0, 0, t.input() + ": is a folder, not a video");
      try (InputCache.Lease in =
          InputCache.acquire(storage, t.input(), t.settings().inputCacheBytes)) {
        VideoInfo info = VideoProbe.probe(in.file());
        return new Result(
            t.id(),
            info,
            status.getLen(),
            status.getModificationTime(),
            Stopwatch.secondsSince(start),
            null);
      }
    } catch (Exception e) {
      return new Result(
          t.id(), null, 0, 0, Stopwatch.secondsSince(start), Errors.describe(t.input(), e));
    }
  }
}
