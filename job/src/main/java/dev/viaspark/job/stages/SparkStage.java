package dev.viaspark.job.stages;

import dev.viaspark.edit.Device;
import dev.viaspark.edit.diffusion.TorchThreads;
import dev.viaspark.spark.TaskDevice;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;

/**
 * What every stage does with Spark: one Spark job (named in the UI) over the stage's work items,
 * one task per item (or per partition), each item run by the stage's task function and counted in
 * {@link JobCounters}; the results are collected on the driver in the order of the work. Stages
 * supply only the task and what it counts.
 */
final class SparkStage<W extends Serializable, R extends StageResult> {
  /** One work item on an executor. It reports its own failure in the result; it does not throw. */
  interface Task<W, R> extends Serializable {
    /**
     * @param device the task's device when the stage runs a model, else null
     */
    R run(W work, Device device);
  }

  /** What a finished item adds to the counters besides its task time (frames, segments, videos). */
  interface Count<R> extends Serializable {
    void add(JobCounters counters, R result);
  }

  private final String description;
  private int partitions = -1;
  private boolean runsModel;
  private ResourceProfile profile;
  private int cpuThreads;
  private Count<R> count = (counters, result) -> {};

  private SparkStage(String description) {
    this.description = description;
  }

  /**
   * @param description the Spark job's description, e.g. "viaspark probe: 12 videos"
   */
  static <W extends Serializable, R extends StageResult> SparkStage<W, R> named(
      String description) {
    return new SparkStage<>(description);
  }

  /** Partitions (default: one per work item). */
  SparkStage<W, R> partitions(int n) {
    partitions = n;
    return this;
  }

  /**
   * The tasks run a model: each gets its device, on the executors of {@code gpu} when it is not
   * null; on a CPU, with {@code cpuThreads} libtorch threads per task.
   *
   * @param cpuThreads {@code model.cpu-threads}: threads per CPU task, 0 for {@code
   *     spark.task.cpus}
   */
  SparkStage<W, R> runsModel(ResourceProfile gpu, int cpuThreads) {
    runsModel = true;
    profile = gpu;
    this.cpuThreads = cpuThreads;
    return this;
  }

  SparkStage<W, R> counting(Count<R> count) {
    this.count = count;
    return this;
  }

  List<R> run(JavaSparkContext sc, List<W> work, JobCounters counters, Task<W, R> task) {
    if (work.isEmpty()) return List.of();
    sc.setJobDescription(description);
    boolean device = runsModel;
    int threads = cpuThreads;
    Count<R> counted = count;
    JavaRDD<R> results =
        sc.parallelize(work, partitions > 0 ? partitions : work.size())
            .map(
                w -> {
                  long start = System.nanoTime();
                  Device d = device ? TaskDevice.current() : null;
                  if (d != null) TorchThreads.share(d.isGpu() ? 0 : TaskDevice.cpuThreads(threads));
                  R r = task.run(w, d);
                  counted.add(counters, r);
                  counters.task(Stopwatch.secondsSince(start), d, r.error() != null);
                  return r;
                });
    return (profile == null ? results : results.withResources(profile)).collect();
  }
}
