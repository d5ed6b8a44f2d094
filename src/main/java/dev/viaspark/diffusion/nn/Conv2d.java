package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
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

  /**
   * Output channels below which a layer that back-propagates (its weights are trained, or a
   * backward pass runs through it to something trained upstream, as low-rank adapters: {@link
   * Backprop}) is computed as a wider one. libtorch 2.7's CPU convolution backward, on AVX-512
   * machines, reads memory it never wrote when a layer has few output channels, and weighs it by
   * zero: where that memory happens to hold NaN, whole rows of the input gradient become NaN (32 to
   * 4 at 16x16, batch 32: 17 passes in 100; 32 to 8 at 64x64: 9 in 100; 16 and 64: none in 100
   * each; with every allocation filled with NaN, every pass of a 32 to 4 layer and none of a
   * widened one). What the freed memory holds depends on everything the process did before, so the
   * failure came and went with the order tests ran in. Zero filters up to this width give the same
   * outputs and gradients without it.
   */
  static final int MIN_TRAINED_OUT_CHANNELS = 16;

  public NDArray forward(NDArray x) {
    return widens(x) ? widenedForward(x) : conv(x, weight, bias);
  }

  /** Whether {@link #forward} computes {@code x} through the widened layer. */
  boolean widens(NDArray x) {
    return out < MIN_TRAINED_OUT_CHANNELS
        && (Backprop.active() || weight.hasGradient() || x.hasGradient());
  }

  private NDArray widenedForward(NDArray x) {
    Shape extra =
        new Shape(
            MIN_TRAINED_OUT_CHANNELS - out, in, weight.getShape().get(2), weight.getShape().get(3));
    NDArray w =
        NDArrays.concat(new NDList(weight, x.getManager().zeros(extra, weight.getDataType())), 0);
    NDArray b =
        NDArrays.concat(
            new NDList(bias, x.getManager().zeros(new Shape(extra.get(0)), bias.getDataType())), 0);
    return conv(x, w, b).get(new NDIndex(":, 0:{}", out));
  }

  private NDArray conv(NDArray x, NDArray w, NDArray b) {
    // qualified: DJL's Conv2d, not this class
    return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, stride, padding, DILATION, 1)
        .singletonOrThrow();
  }
}
