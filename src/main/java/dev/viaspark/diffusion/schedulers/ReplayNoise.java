package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Replays recorded noise tensors in order, e.g. the draws a diffusers run made from its torch
 * generator, so that a run can be reproduced exactly. Each draw must be requested with the recorded
 * shape; asking for more draws than were recorded, or for another shape, throws {@link
 * IllegalStateException}.
 */
public final class ReplayNoise implements NoiseSource {
  private final List<float[]> values;
  private final List<Shape> shapes;
  private int next;

  private ReplayNoise(List<float[]> values, List<Shape> shapes) {
    this.values = values;
    this.shapes = shapes;
  }

  /** Draws given as row-major float32 values, each with its shape. */
  public static ReplayNoise ofFloats(List<float[]> values, List<Shape> shapes) {
    if (values.size() != shapes.size()) {
      throw new IllegalArgumentException(
          values.size() + " value arrays but " + shapes.size() + " shapes");
    }
    List<float[]> copies = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).length != shapes.get(i).size()) {
        throw new IllegalArgumentException(
            "draw " + i + ": " + values.get(i).length + " values for shape " + shapes.get(i));
      }
      copies.add(values.get(i).clone());
    }
    return new ReplayNoise(copies, List.copyOf(shapes));
  }

  /**
   * Draws stacked along the first axis, e.g. values of shape [10, 1, 4, 8, 8] give ten draws of [1,
   * 4, 8, 8].
   */
  public static ReplayNoise ofStacked(float[] values, Shape stacked) {
    if (values.length != stacked.size() || stacked.dimension() < 1) {
      throw new IllegalArgumentException(
          values.length + " values do not fill the stacked shape " + stacked);
    }
    int draws = (int) stacked.get(0);
    Shape each = stacked.slice(1);
    int size = (int) each.size();
    List<float[]> split = new ArrayList<>();
    for (int d = 0; d < draws; d++) {
      float[] one = new float[size];
      System.arraycopy(values, d * size, one, 0, size);
      split.add(one);
    }
    return new ReplayNoise(split, Collections.nCopies(draws, each));
  }

  /**
   * Draws copied out of the given arrays (any device and floating dtype); the arrays are not kept.
   */
  public static ReplayNoise ofArrays(List<NDArray> arrays) {
    List<float[]> values = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (NDArray a : arrays) {
      try (NDArray f = a.toType(DataType.FLOAT32, true)) {
        values.add(f.toFloatArray());
      }
      shapes.add(a.getShape());
    }
    return new ReplayNoise(values, shapes);
  }

  public synchronized int remaining() {
    return values.size() - next;
  }

  @Override
  public synchronized NDArray next(NDManager manager, Shape shape) {
    if (next >= values.size()) {
      throw new IllegalStateException(
          "replay noise exhausted: all " + values.size() + " recorded draws were used");
    }
    if (!shapes.get(next).equals(shape)) {
      throw new IllegalStateException(
          "replay noise draw "
              + next
              + " was recorded with shape "
              + shapes.get(next)
              + " but shape "
              + shape
              + " was requested");
    }
    NDArray out = OwnedArrays.of(manager, values.get(next), shape);
    next++;
    return out;
  }
}
