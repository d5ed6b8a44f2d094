package dev.viaspark.diffusion.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Set;

/**
 * Where a model's tensors come from: a checkpoint's safetensors files, or seeded random values for
 * benchmarks.
 */
public interface TensorSource extends AutoCloseable {
  /** A description for error messages (the folder or files). */
  String describe();

  /** The stored shape of {@code name}, or null when the source has no such tensor. */
  long[] shape(String name, long[] expected);

  /** Loads {@code name} as {@code dtype} on the manager's device. */
  NDArray load(String name, long[] shape, NDManager manager, DataType dtype);

  /** Every tensor name the source holds (empty when it makes tensors on request). */
  Set<String> names();

  @Override
  void close();
}
