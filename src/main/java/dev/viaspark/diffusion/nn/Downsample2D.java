package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code Downsample2D}: a 3x3 stride-2 {@code conv}. The UNet pads 1 on every side; the
 * VAE encoder ({@code padding = 0}) pads only right and bottom by one, as diffusers does, before an
 * unpadded conv.
 */
public final class Downsample2D {
  final Conv2d conv;
  private final boolean asymmetric;

  public Downsample2D(Weights w, int channels, int padding) {
    this.conv = new Conv2d(w.child("conv"), channels, channels, 3, 2, padding);
    this.asymmetric = padding == 0;
  }

  public NDArray forward(NDArray x) {
    return conv.forward(asymmetric ? padRightBottom(x) : x);
  }

  private static NDArray padRightBottom(NDArray x) {
    long n = x.getShape().get(0),
        c = x.getShape().get(1),
        h = x.getShape().get(2),
        w = x.getShape().get(3);
    NDArray out =
        x.getManager().zeros(new Shape(n, c, h + 1, w + 1), x.getDataType(), x.getDevice());
    out.set(new NDIndex(":, :, 0:{}, 0:{}", h, w), x);
    return out;
  }
}
