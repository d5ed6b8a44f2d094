package dev.viaspark.job.stages;

/** Wall-clock seconds for stage timings. */
final class Stopwatch {
  private Stopwatch() {}

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
