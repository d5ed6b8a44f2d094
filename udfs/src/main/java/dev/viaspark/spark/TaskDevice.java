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
}
