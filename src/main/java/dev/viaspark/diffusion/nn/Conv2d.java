package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.weights.Weights;

/** {@code torch.nn.Conv2d} with square kernel, stride and padding, NCHW. */
public final class Conv2d {
  final NDArray weight;
  final NDArray bias;
  private final Shape stride;
  private final Shape padding;
  private static final Shape DILATION = new Shape(1, 1);
  public final int in;
  public final int out;

  public Conv2d(Weights w, int in, int out, int kernel, int stride, int padding) {
    this.in = in;
    this.out = out;
    this.weight = w.get("weight", out, in, kernel, kernel);
    this.bias = w.get("bias", out);
    this.stride = new Shape(stride, stride);
    this.padding = new Shape(padding, padding);
  }

  public NDArray forward(NDArray x) {
    // qualified: DJL's Conv2d, not this class
    return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, stride, padding, DILATION, 1)
        .singletonOrThrow();
  }
}
