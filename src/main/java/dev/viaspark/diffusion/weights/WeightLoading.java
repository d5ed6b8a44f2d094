package dev.viaspark.diffusion.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Loading one model component from a {@link TensorSource}: modules ask for tensors by name and
 * shape through {@link Weights}; missing and mis-shaped tensors are collected (a zero placeholder
 * keeps construction going) and {@link #finish} reports all of them, with the tensors nobody asked
 * for, in one error.
 */
public final class WeightLoading {
  private final String component;
  private final TensorSource source;
  private final NDManager manager;
  private final DataType dtype;
  private final Set<String> used = new HashSet<>();
  private final List<String> missing = new ArrayList<>();
  private final List<String> misShaped = new ArrayList<>();

  public WeightLoading(String component, TensorSource source, NDManager manager, DataType dtype) {
    this.component = component;
    this.source = source;
    this.manager = manager;
    this.dtype = dtype;
  }

  public Weights root() {
    return new Weights(this, "");
  }

  public NDManager manager() {
    return manager;
  }

  public DataType dtype() {
    return dtype;
  }

  boolean has(String name) {
    return source.shape(name, null) != null;
  }

  NDArray get(String name, long[] expected) {
    used.add(name);
    long[] stored = source.shape(name, expected);
    if (stored == null) {
      missing.add(name + " " + Arrays.toString(expected));
      return manager.zeros(new Shape(expected), dtype);
    }
    if (!Arrays.equals(stored, expected)) {
      misShaped.add(
          name
              + " is "
              + Arrays.toString(stored)
              + ", the config implies "
              + Arrays.toString(expected));
      return manager.zeros(new Shape(expected), dtype);
    }
    return source.load(name, expected, manager, dtype);
  }

  /**
   * Throws a {@link CheckpointException} naming every missing, mis-shaped and unexpected tensor.
   *
   * @param ignorable stored tensors that are neither used nor a problem (e.g. {@code position_ids}
   *     buffers)
   */
  public void finish(Predicate<String> ignorable) {
    Set<String> unexpected = new TreeSet<>();
    for (String name : source.names()) {
      if (!used.contains(name) && !ignorable.test(name)) unexpected.add(name);
    }
    if (missing.isEmpty() && misShaped.isEmpty() && unexpected.isEmpty()) return;
    StringBuilder sb =
        new StringBuilder(
            component + " (" + source.describe() + ") does not match its config.json:");
    list(sb, "missing", missing);
    list(sb, "mis-shaped", misShaped);
    list(sb, "unexpected", new ArrayList<>(unexpected));
    throw new CheckpointException(sb.toString());
  }

  private static void list(StringBuilder sb, String what, List<String> names) {
    if (names.isEmpty()) return;
    sb.append("\n  ").append(names.size()).append(' ').append(what).append(':');
    int shown = 0;
    for (String n : names) {
      if (shown++ == 20) {
        sb.append("\n    ... and ").append(names.size() - 20).append(" more");
        break;
      }
      sb.append("\n    ").append(n);
    }
  }
}
