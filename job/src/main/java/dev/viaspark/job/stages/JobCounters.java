package dev.viaspark.job.stages;

import dev.viaspark.edit.Device;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The job's counters as named Spark accumulators (they appear in the Spark UI under each stage):
 * frames and segments edited, videos assembled, failed tasks, and task seconds, on a GPU and in
 * all. Tasks add to them; the driver prints them as progress and writes their totals to
 * OUTPUT/job.json. Each is updated inside the task whose result the driver collects, so Spark
 * counts a retried or speculative task once.
 */
public final class JobCounters implements Serializable {
  public final LongAccumulator frames;
  public final LongAccumulator segments;
  public final LongAccumulator videos;
  final LongAccumulator failedTasks;
  final DoubleAccumulator gpuSeconds;
  final DoubleAccumulator taskSeconds;

  public JobCounters(SparkContext sc) {
    frames = sc.longAccumulator("viaspark.frames");
    segments = sc.longAccumulator("viaspark.segments");
    videos = sc.longAccumulator("viaspark.videos");
    failedTasks = sc.longAccumulator("viaspark.failedTasks");
    gpuSeconds = sc.doubleAccumulator("viaspark.gpuSeconds");
    taskSeconds = sc.doubleAccumulator("viaspark.taskSeconds");
  }

  /**
   * One finished task: its wall seconds, where it ran (null: no model, the CPU) and whether it
   * failed.
   */
  void task(double seconds, Device device, boolean failed) {
    taskSeconds.add(seconds);
    if (device != null && device.isGpu()) gpuSeconds.add(seconds);
    if (failed) failedTasks.add(1);
  }

  public Map<String, Object> totals() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("frames", frames.value());
    m.put("segments", segments.value());
    m.put("videos", videos.value());
    m.put("failedTasks", failedTasks.value());
    m.put("gpuSeconds", gpuSeconds.value());
    m.put("taskSeconds", taskSeconds.value());
    return m;
  }
}
