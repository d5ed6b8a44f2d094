package dev.viaspark.job.driver;

import java.io.PrintStream;
import org.apache.spark.util.LongAccumulator;

/**
 * Prints a progress line every few seconds while the edit and assemble stages run: videos and
 * segments done, frames per second and an ETA. Counters are Spark accumulators, updated as tasks
 * finish.
 */
public final class Progress implements AutoCloseable {
  private final PrintStream out;
  private final LongAccumulator frames;
  private final LongAccumulator segments;
  private final LongAccumulator videos;
  private final long totalFrames;
  private final long totalSegments;
  private final long totalVideos;
  private final long start = System.nanoTime();
  private final Thread thread;

  Progress(
      PrintStream out,
      int intervalSeconds,
      LongAccumulator frames,
      LongAccumulator segments,
      LongAccumulator videos,
      long totalFrames,
      long totalSegments,
      long totalVideos) {
    this.out = out;
    this.frames = frames;
    this.segments = segments;
    this.videos = videos;
    this.totalFrames = totalFrames;
    this.totalSegments = totalSegments;
    this.totalVideos = totalVideos;
    if (intervalSeconds <= 0) {
      thread = null;
      return;
    }
    thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(intervalSeconds * 1000L);
                  out.println(line());
                }
              } catch (InterruptedException ignored) {
                // closed
              }
            },
            "viaspark-progress");
    thread.setDaemon(true);
    thread.start();
  }

  String line() {
    double seconds = (System.nanoTime() - start) / 1e9;
    long f = frames.value();
    double fps = seconds > 0 ? f / seconds : 0;
    String eta =
        fps > 0 && f < totalFrames
            ? duration((totalFrames - f) / fps)
            : f >= totalFrames ? "0:00:00" : "?";
    return String.format(
        "[viaspark] videos %d/%d, segments %d/%d, frames %d/%d, %.1f frames/s, elapsed %s, ETA %s",
        videos.value(),
        totalVideos,
        segments.value(),
        totalSegments,
        f,
        totalFrames,
        fps,
        duration(seconds),
        eta);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  @Override
  public void close() {
    if (thread != null) thread.interrupt();
  }
}
