package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Products and quotients of a tensor and a number that stay right under autograd.
 *
 * <p>DJL's {@code x.mul(Number)} and {@code x.div(Number)} wrap the number in a scalar tensor over
 * a Java direct buffer ({@code torch::from_blob}) and close it as soon as the op returns. Autograd
 * keeps that scalar for the backward pass ({@code d(x*s)/dx = s}), but once it is closed nothing
 * keeps its buffer alive: after a garbage collection the backward pass reads freed memory and the
 * gradient is wrong, intermittently (it cost the toy trainer's resume test one run in seven). Here
 * the scalar is allocated by libtorch, which keeps it as long as autograd holds it. Use these in
 * every forward pass that may be trained; inference is unaffected either way.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code x * s}, s as a float32 scalar as DJL makes it. */
  public static NDArray mul(NDArray x, float s) {
    try (NDArray k = scalar(x, s)) {
      return x.mul(k);
    }
  }

  /** {@code x / s}. */
  public static NDArray div(NDArray x, float s) {
    try (NDArray k = scalar(x, s)) {
      return x.div(k);
    }
  }

  /** {@code x /= s}, in place. */
  public static NDArray divi(NDArray x, float s) {
    try (NDArray k = scalar(x, s)) {
      return x.divi(k);
    }
  }

  private static NDArray scalar(NDArray like, float s) {
    return like.getManager().full(new Shape(), s, DataType.FLOAT32);
  }
}
