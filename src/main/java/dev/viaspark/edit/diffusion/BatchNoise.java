package dev.viaspark.edit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.schedulers.NoiseSource;
import java.util.List;

/**
 * The noise of a batch drawn from one source per sample, so that a frame's noise never depends on
 * which frames share its batch (batch boundaries move with segment sizes and retries).
 */
final class BatchNoise implements NoiseSource {
  private final List<NoiseSource> perSample;

  BatchNoise(List<NoiseSource> perSample) {
    this.perSample = perSample;
  }

  @Override
  public NDArray next(NDManager manager, Shape shape) {
    if (shape.get(0) != perSample.size()) {
      throw new IllegalArgumentException(
          "noise for " + shape.get(0) + " samples, sources for " + perSample.size());
    }
    Shape one = new Shape(1).addAll(shape.slice(1));
    NDList parts = new NDList();
    for (NoiseSource s : perSample) parts.add(s.next(manager, one));
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
  }
}
