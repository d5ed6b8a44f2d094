package dev.viaspark.job.stages;

import dev.viaspark.config.SettingsException;
import dev.viaspark.config.ViasparkSettings.GpuStageMode;
import dev.viaspark.config.ViasparkSettings.GpuStages;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;

/**
 * Stage-level scheduling ({@code resources.*}): the GPU resource profile of the gather and edit
 * stages, so that probe and assemble run on the default (CPU) executors. Spark 3.5 grants a stage
 * its own executors only on YARN, Kubernetes and standalone with dynamic allocation; elsewhere
 * {@code on} fails before Spark starts and {@code auto} falls back to the default executors for
 * every stage.
 */
public final class GpuStageProfile {
  private GpuStageProfile() {}

  /**
   * Why stage-level scheduling is unavailable with these Spark properties, or null when it is
   * available.
   */
  static String unsupportedReason(Map<String, String> spark) {
    String master = spark.getOrDefault("spark.master", "local[*]");
    boolean clusterManager =
        master.startsWith("yarn") || master.startsWith("k8s://") || master.startsWith("spark://");
    if (!clusterManager) {
      return "spark.master = "
          + master
          + ": stage-level scheduling needs YARN, Kubernetes or standalone";
    }
    if (!Boolean.parseBoolean(spark.getOrDefault("spark.dynamicAllocation.enabled", "false"))) {
      return "spark.dynamicAllocation.enabled is not true: stage-level scheduling needs dynamic allocation";
    }
    return null;
  }

  /**
   * Checks the settings against the Spark properties the job starts with: {@code on} where
   * stage-level scheduling is unavailable fails naming both.
   */
  public static void validate(GpuStages s, Map<String, String> spark) {
    check(s, unsupportedReason(spark));
  }

  private static void check(GpuStages s, String reason) {
    if (s.mode() == GpuStageMode.ON && reason != null) {
      throw new SettingsException(
          List.of(
              "resources.gpu-stages = on: "
                  + reason
                  + " (use auto to fall back to the default executors, or off)"));
    }
  }

  /** The profile for the gather and edit stages, or null when they run on the default executors. */
  public static ResourceProfile forStages(GpuStages s, Map<String, String> spark, PrintStream log) {
    if (s.mode() == GpuStageMode.OFF) return null;
    String reason = unsupportedReason(spark);
    check(s, reason);
    if (reason != null) {
      log.println(
          "[viaspark] resources.gpu-stages = auto: every stage on the default executors ("
              + reason
              + ")");
      return null;
    }
    log.println("[viaspark] gather and edit stages on GPU executors: " + describe(s));
    return build(s);
  }

  static ResourceProfile build(GpuStages s) {
    ExecutorResourceRequests executor =
        new ExecutorResourceRequests()
            .cores(s.executorCores())
            .resource("gpu", s.executorGpus(), s.discoveryScript(), s.vendor());
    if (!s.executorMemory().isEmpty()) executor.memory(s.executorMemory());
    TaskResourceRequests task =
        new TaskResourceRequests().cpus(s.taskCpus()).resource("gpu", s.taskGpus());
    return new ResourceProfileBuilder().require(executor).require(task).build();
  }

  static String describe(GpuStages s) {
    return s.executorGpus()
        + " GPU, "
        + s.executorCores()
        + " cores"
        + (s.executorMemory().isEmpty() ? "" : ", " + s.executorMemory())
        + " per executor; "
        + s.taskGpus()
        + " GPU, "
        + s.taskCpus()
        + " cores per task";
  }
}
