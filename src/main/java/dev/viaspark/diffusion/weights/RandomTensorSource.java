package dev.viaspark.diffusion.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Set;

/**
 * Seeded random weights of whatever shape a model asks for, so a model of any size (the real SD 1.5
 * UNet included) can be built and timed without a checkpoint. Values are N(0, 1/fan_in) (norm gains
 * 1, biases small), which keeps activations finite through deep stacks; the speed is that of real
 * weights.
 */
public final class RandomTensorSource implements TensorSource {
  private final long seed;

  public RandomTensorSource(long seed) {
    this.seed = seed;
  }

  @Override
  public String describe() {
    return "random weights (seed " + seed + ")";
  }

  @Override
  public long[] shape(String name, long[] expected) {
    return expected;
  }

  @Override
  public NDArray load(String name, long[] shape, NDManager manager, DataType dtype) {
    Shape s = new Shape(shape);
    manager.getEngine().setRandomSeed((int) (seed ^ name.hashCode()));
    NDArray out;
    if (name.endsWith("bias") || name.endsWith("beta")) {
      out = manager.randomNormal(0f, 0.02f, s, DataType.FLOAT32);
    } else if (shape.length == 1) {
      out = manager.randomNormal(1f, 0.02f, s, DataType.FLOAT32);
    } else {
      long fanIn = s.size() / shape[0];
      out = manager.randomNormal(0f, (float) (1 / Math.sqrt(fanIn)), s, DataType.FLOAT32);
    }
    if (dtype == DataType.FLOAT32) return out;
    NDArray cast = out.toType(dtype, false);
    out.close();
    return cast;
  }

  @Override
  public Set<String> names() {
    return Set.of();
  }

  @Override
  public void close() {}
}
