package dev.viaspark.job.stages;

import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.storage.Errors;
import dev.viaspark.storage.InputCache;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.video.Assembler;
import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Stage 3: per video, joins the segments in order with the source audio (copied), commits the
 * output atomically, writes the done marker (with the video's temporal scores) and removes the
 * segments and their scores.
 */
public final class AssembleStage {
  public record Work(
      int taskId,
      String input,
      List<String> segmentUris,
      String outputUri,
      String muxer,
      String doneUri,
      String videoDir,
      boolean keepSegments,
      List<String> scoreUris,
      TemporalScores scores)
      implements Serializable {}

  public record Result(int taskId, int frames, double seconds, String error)
      implements StageResult, Serializable {}

  private AssembleStage() {}

  public static List<Result> run(
      JavaSparkContext sc,
      List<Work> work,
      Storage storage,
      long inputCacheBytes,
      JobCounters counters) {
    return SparkStage.<Work, Result>named("viaspark assemble: " + work.size() + " videos")
        .counting((c, r) -> c.videos.add(1))
        .run(sc, work, counters, (w, device) -> assemble(w, storage, inputCacheBytes));
  }

  /**
   * @param inputCacheBytes {@code job.input-cache-bytes}
   */
  public static Result assemble(Work w, Storage storage, long inputCacheBytes) {
    long start = System.nanoTime();
    try (TempFolder folder = TempFolder.create("viaspark-assemble");
        InputCache.Lease input = InputCache.acquire(storage, w.input(), inputCacheBytes)) {
      File tmp = folder.dir();
      File source = input.file();
      List<File> segments = new ArrayList<>();
      for (String uri : w.segmentUris()) segments.add(storage.localCopy(uri, tmp));
      File out = new File(tmp, "output." + Storage.fileName(w.outputUri()).replaceAll(".*\\.", ""));
      int frames = Assembler.assemble(source, segments, out, w.muxer());
      storage.publish(out, w.outputUri());
      new DoneMarker(w.outputUri(), frames, w.scores()).write(storage, w.doneUri(), tmp);
      if (!w.keepSegments()) {
        for (String uri : w.segmentUris()) storage.delete(uri, false);
        for (String uri : w.scoreUris()) storage.delete(uri, false);
      }
      return new Result(w.taskId(), frames, Stopwatch.secondsSince(start), null);
    } catch (Exception e) {
      return new Result(
          w.taskId(), 0, Stopwatch.secondsSince(start), Errors.describe(w.input(), e));
    }
  }
}
