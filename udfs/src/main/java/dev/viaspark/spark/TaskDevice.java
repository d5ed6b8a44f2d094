package dev.viaspark.spark;

import dev.viaspark.edit.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device of the running Spark task: the first GPU Spark assigned it, else the CPU (also outside
 * a task).
 */
public final class TaskDevice {
  private TaskDevice() {}

  public static Device current() {
    TaskContext tc = TaskContext.get();
    if (tc != null) {
      ResourceInformation gpu = tc.resources().get("gpu").getOrElse(() -> null);
      if (gpu != null && gpu.addresses().length > 0)
        return Device.gpu(Integer.parseInt(gpu.addresses()[0]));
    }
    return Device.CPU;
  }

  /**
   * libtorch threads for the running task's CPU work: {@code setting} ({@code model.cpu-threads})
   * when above 0, else the task's CPUs ({@code spark.task.cpus}); 0 (libtorch's default) outside a
   * task. Never a function of the stage's size or the cluster's: libtorch's float sums, and so the
   * frames, depend on the thread count.
   */
  public static int cpuThreads(int setting) {
    if (setting > 0) return setting;
    TaskContext tc = TaskContext.get();
    return tc == null ? 0 : tc.cpus();
  }
}
