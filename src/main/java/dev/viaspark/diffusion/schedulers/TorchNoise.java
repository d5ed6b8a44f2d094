package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;

/**
 * The standard-normal tensors {@code torch.randn(shape, generator=g)} returns in float32 on the CPU
 * for {@code g = torch.Generator().manual_seed(seed)}, bit for bit, draw after draw: what a
 * diffusers pipeline given that generator draws. Pure Java, no native PyTorch.
 *
 * <p>PyTorch fills a tensor in one of two ways. One of 16 values or more is first filled with
 * uniform floats (24 bits of one 32-bit output each), then turned into normals 16 at a time by
 * Box-Muller, values j and j + 8 of each block from one pair; when the size is not a multiple of
 * 16, the last 16 values are drawn again and transformed again. A smaller tensor takes each value
 * from a float64 Box-Muller pair of 53-bit uniforms, keeping the pair's second value for the next
 * one, even in the next draw.
 *
 * <p>The 16-value blocks are PyTorch's AVX2 kernel ({@link AvxMathFun}), the one it runs on an x86
 * CPU with AVX2 and without AVX-512. On a CPU with AVX-512, or without AVX2, PyTorch takes the C
 * library's {@code logf}, {@code sinf} and {@code cosf} instead and about 40% of the values differ
 * in their last bits; {@code ATEN_CPU_CAPABILITY=avx2} makes it draw these numbers there too.
 */
public final class TorchNoise implements NoiseSource {
  private static final int BLOCK = 16;
  private static final float TWO_PI = (float) (2 * Math.PI);

  private final Mt19937 engine;
  private double cachedNormal = Double.NaN;

  public TorchNoise(long seed) {
    this.engine = new Mt19937(seed);
  }

  @Override
  public synchronized NDArray next(NDManager manager, Shape shape) {
    long count = shape.size();
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("noise shape too large: " + shape);
    }
    return OwnedArrays.of(manager, next((int) count), shape);
  }

  /** The next draw of {@code count} values, row-major. */
  public synchronized float[] next(int count) {
    float[] data = new float[count];
    if (count >= BLOCK) {
      fillBlocks(data);
    } else {
      for (int i = 0; i < count; i++) data[i] = (float) nextDoubleNormal();
    }
    return data;
  }

  private void fillBlocks(float[] data) {
    for (int i = 0; i < data.length; i++) data[i] = uniformFloat();
    for (int i = 0; i + BLOCK <= data.length; i += BLOCK) transformBlock(data, i);
    if (data.length % BLOCK != 0) {
      int tail = data.length - BLOCK;
      for (int i = 0; i < BLOCK; i++) data[tail + i] = uniformFloat();
      transformBlock(data, tail);
    }
  }

  private void transformBlock(float[] data, int at) {
    for (int j = 0; j < BLOCK / 2; j++) {
      float u1 = 1 - data[at + j];
      float u2 = data[at + j + BLOCK / 2];
      float radius = (float) Math.sqrt(-2f * AvxMathFun.log(u1));
      float theta = TWO_PI * u2;
      data[at + j] = radius * AvxMathFun.cos(theta);
      data[at + j + BLOCK / 2] = radius * AvxMathFun.sin(theta);
    }
  }

  /** {@code uniform_real_distribution<float>(0, 1)}: the low 24 bits of one output. */
  private float uniformFloat() {
    return (engine.nextUnsigned() & 0xffffff) * 0x1.0p-24f;
  }

  /** {@code uniform_real_distribution<double>(0, 1)}: the low 53 bits of two outputs. */
  private double uniformDouble() {
    return (engine.next64() & ((1L << 53) - 1)) * 0x1.0p-53;
  }

  /** {@code normal_distribution<double>}, with the generator's cached second value. */
  private double nextDoubleNormal() {
    if (!Double.isNaN(cachedNormal)) {
      double v = cachedNormal;
      cachedNormal = Double.NaN;
      return v;
    }
    double u1 = uniformDouble();
    double u2 = uniformDouble();
    double radius = Math.sqrt(-2.0 * Math.log(1.0 - u2));
    double theta = 2.0 * Math.PI * u1;
    cachedNormal = radius * Math.sin(theta);
    return radius * Math.cos(theta);
  }
}
