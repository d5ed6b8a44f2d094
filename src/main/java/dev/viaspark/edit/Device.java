package dev.viaspark.edit;

import java.io.Serializable;

/**
 * Where an editor runs: the CPU or one GPU, by index (as Spark's TaskContext resources name it).
 */
public record Device(Kind kind, int index) implements Serializable {
  public enum Kind {
    CPU,
    GPU
  }

  public static final Device CPU = new Device(Kind.CPU, 0);

  public static Device gpu(int index) {
    return new Device(Kind.GPU, index);
  }

  public boolean isGpu() {
    return kind == Kind.GPU;
  }

  @Override
  public String toString() {
    return isGpu() ? "gpu:" + index : "cpu";
  }
}
