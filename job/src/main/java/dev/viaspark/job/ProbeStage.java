package dev.viaspark.job;

import dev.viaspark.storage.Errors;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;

/** Stage 1: probes every video on the executors (metadata and keyframe index, no decoding). */
final class ProbeStage {
  /** What the probe found, or why it failed. {@code size}/{@code modified} fingerprint the input. */
  record Result(int taskId, VideoInfo info, long size, long modified, double seconds, String error)
      implements StageResult, Serializable {}

  private ProbeStage() {}

  static List<Result> run(JavaSparkContext sc, List<VideoTask> tasks, Storage storage, JobCounters counters) {
    sc.setJobDescription("viaspark probe: " + tasks.size() + " videos");
    return sc.parallelize(tasks, Math.max(1, Math.min(tasks.size(), sc.defaultParallelism() * 4)))
        .map(t -> {
          Result r = probe(t, storage);
          counters.task(r.seconds(), null, r.error() != null);
          return r;
        })
        .collect();
  }

  static Result probe(VideoTask t, Storage storage) {
    long start = System.nanoTime();
    File tmp = null;
    try {
      FileStatus status;
      try {
        status = storage.status(t.input());
      } catch (java.io.FileNotFoundException e) {
        return new Result(t.id(), null, 0, 0, 0, t.input() + ": no such file");
      }
      if (status.isDirectory()) return new Result(t.id(), null, 0, 0, 0, t.input() + ": is a folder, not a video");
      tmp = Files.createTempDirectory("viaspark-probe").toFile();
      File local = storage.localCopy(t.input(), tmp);
      VideoInfo info = VideoProbe.probe(local);
      return new Result(t.id(), info, status.getLen(), status.getModificationTime(), seconds(start), null);
    } catch (Exception e) {
      return new Result(t.id(), null, 0, 0, seconds(start), Errors.describe(t.input(), e));
    } finally {
      Errors.deleteQuietly(tmp);
    }
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
