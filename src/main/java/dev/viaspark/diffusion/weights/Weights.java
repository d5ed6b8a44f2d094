package dev.viaspark.diffusion.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * A view of a component's tensors under a key prefix, so that a module's field path is its
 * checkpoint key: {@code w.child("down_blocks").child(0).child("resnets")} reads {@code
 * down_blocks.0.resnets.*}.
 */
public final class Weights {
  private final WeightLoading loading;
  private final String prefix;

  Weights(WeightLoading loading, String prefix) {
    this.loading = loading;
    this.prefix = prefix;
  }

  public Weights child(String name) {
    return new Weights(loading, key(name));
  }

  public Weights child(int index) {
    return child(Integer.toString(index));
  }

  /** The full key of {@code name} under this view. */
  public String key(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** This view's prefix: the module path, e.g. {@code up_blocks.1.attentions.0}. */
  public String path() {
    return prefix;
  }

  public boolean has(String name) {
    return loading.has(key(name));
  }

  /**
   * A required tensor of the given shape (a problem is recorded, not thrown, when it is missing or
   * mis-shaped).
   */
  public NDArray get(String name, long... shape) {
    return loading.get(key(name), shape);
  }

  public NDManager manager() {
    return loading.manager();
  }

  public DataType dtype() {
    return loading.dtype();
  }
}
