package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;

/**
 * Deterministic standard-normal noise from a {@code long} seed: the same numbers on every machine,
 * JVM and device. Value k of the stream is Box-Muller (float64, {@link StrictMath}, then cast to
 * float32) applied to two SplitMix64 hashes of (seed, k / 2); draws take consecutive values, so the
 * stream does not depend on how it is split into draws. It is not torch's generator: {@link
 * TorchNoise} is.
 */
public final class SeededNoise implements NoiseSource {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private final long key;
  private long position;

  public SeededNoise(long seed) {
    this.key = mix(seed ^ 0x5851f42d4c957f2dL);
  }

  @Override
  public synchronized NDArray next(NDManager manager, Shape shape) {
    long count = shape.size();
    if (count > Integer.MAX_VALUE)
      throw new IllegalArgumentException("noise shape too large: " + shape);
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) values[i] = value(position + i);
    position += count;
    return OwnedArrays.of(manager, values, shape);
  }

  /** Value k of this seed's stream. */
  private float value(long k) {
    long pair = k >>> 1;
    // u in (0, 1] keeps log(u) finite; v in [0, 1).
    double u = ((mix(key + GOLDEN_GAMMA * (2 * pair + 1)) >>> 11) + 1) * 0x1.0p-53;
    double v = (mix(key + GOLDEN_GAMMA * (2 * pair + 2)) >>> 11) * 0x1.0p-53;
    double radius = StrictMath.sqrt(-2 * StrictMath.log(u));
    double angle = 2 * StrictMath.PI * v;
    return (float) (radius * ((k & 1) == 0 ? StrictMath.cos(angle) : StrictMath.sin(angle)));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
