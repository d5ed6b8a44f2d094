package dev.viaspark.diffusion.weights;

import java.util.Arrays;

/**
 * A tensor's header entry in a safetensors file; {@code begin}/{@code end} are relative to the data
 * section.
 */
public record TensorEntry(String name, String dtype, long[] shape, long begin, long end) {
  public long byteSize() {
    return end - begin;
  }

  public long elementCount() {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  public int bytesPerElement() {
    return Dtypes.size(dtype);
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
