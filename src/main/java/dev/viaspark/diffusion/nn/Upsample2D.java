package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code Upsample2D}: nearest-neighbour upsampling then a 3x3 {@code conv}. Without a
 * target size it doubles; with one (the UNet, when the latent size is not divisible by 8) it
 * resizes to exactly that size with PyTorch's nearest rule {@code src = floor(dst * in / out)}.
 */
public final class Upsample2D {
  final Conv2d conv;

  public Upsample2D(Weights w, int channels) {
    this.conv = new Conv2d(w.child("conv"), channels, channels, 3, 1, 1);
  }

  /**
   * @param height target height, or 0 to double; {@code width} likewise
   */
  public NDArray forward(NDArray x, long height, long width) {
    long h = x.getShape().get(2), w = x.getShape().get(3);
    NDArray up;
    if (height <= 0 || (height == 2 * h && width == 2 * w)) {
      up = x.repeat(2, 2).repeat(3, 2);
    } else {
      up =
          x.get(new NDIndex(":, :, {}, :", nearestIndex(x, h, height)))
              .get(new NDIndex(":, :, :, {}", nearestIndex(x, w, width)));
    }
    return conv.forward(up);
  }

  private static NDArray nearestIndex(NDArray like, long in, long out) {
    long[] idx = new long[(int) out];
    float scale = (float) in / out;
    for (int i = 0; i < out; i++) idx[i] = Math.min((long) Math.floor(i * scale), in - 1);
    // the indexing's backward pass keeps the indices
    NDArray owned = OwnedArrays.of(like.getManager(), idx);
    return owned.getDevice().equals(like.getDevice())
        ? owned
        : owned.toDevice(like.getDevice(), false);
  }
}
