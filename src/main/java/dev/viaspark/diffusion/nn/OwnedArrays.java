package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.Buffer;
import java.util.function.Function;

/**
 * Arrays made from Java data, copied into memory libtorch owns.
 *
 * <p>DJL's {@code NDManager.create} wraps a Java direct buffer ({@code torch::from_blob}): the
 * array's storage lives only as long as the Java array object. Anything libtorch derives from it
 * without copying (a view, a same-type or same-device conversion, a tensor autograd keeps for the
 * backward pass) still points at that buffer once the array is closed, and the next garbage
 * collection frees it, and the reads that follow see freed memory. Every array the engine makes
 * from Java data goes through here; the copy is small next to any model's forward pass.
 */
public final class OwnedArrays {
  private OwnedArrays() {}

  public static NDArray of(NDManager m, float[] data, Shape shape) {
    return owned(m, k -> k.create(data, shape));
  }

  public static NDArray of(NDManager m, float[] data) {
    return owned(m, k -> k.create(data));
  }

  public static NDArray of(NDManager m, long[] data) {
    return owned(m, k -> k.create(data));
  }

  public static NDArray of(NDManager m, long[][] data) {
    return owned(m, k -> k.create(data));
  }

  public static NDArray of(NDManager m, float value) {
    return owned(m, k -> k.create(value));
  }

  public static NDArray of(NDManager m, long value) {
    return owned(m, k -> k.create(value));
  }

  public static NDArray of(NDManager m, Buffer data, Shape shape, DataType dtype) {
    return owned(m, k -> k.create(data, shape, dtype));
  }

  private static NDArray owned(NDManager m, Function<NDManager, NDArray> fromJava) {
    try (NDArray view = fromJava.apply(m)) {
      return view.duplicate();
    }
  }
}
