package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code ResnetBlock2D} ("default" time-embedding norm): GN, SiLU, conv1, + projected
 * time embedding, GN, SiLU, conv2, + shortcut (a 1x1 conv when channel counts differ), divided by
 * the output scale factor. The VAE uses it without a time embedding ({@code tembChannels = 0}).
 */
public final class ResnetBlock2D {
  final GroupNorm norm1;
  final Conv2d conv1;
  final Linear timeEmbProj;
  final GroupNorm norm2;
  final Conv2d conv2;
  final Conv2d convShortcut;
  private final float outputScaleFactor;

  public ResnetBlock2D(
      Weights w,
      int in,
      int out,
      int tembChannels,
      int groups,
      float eps,
      float outputScaleFactor) {
    norm1 = new GroupNorm(w.child("norm1"), groups, in, eps);
    conv1 = new Conv2d(w.child("conv1"), in, out, 3, 1, 1);
    timeEmbProj =
        tembChannels > 0 ? new Linear(w.child("time_emb_proj"), tembChannels, out, true) : null;
    norm2 = new GroupNorm(w.child("norm2"), groups, out, eps);
    conv2 = new Conv2d(w.child("conv2"), out, out, 3, 1, 1);
    convShortcut = in != out ? new Conv2d(w.child("conv_shortcut"), in, out, 1, 1, 0) : null;
    this.outputScaleFactor = outputScaleFactor;
  }

  /**
   * @param temb the time embedding [batch, tembChannels], or null (VAE)
   */
  public NDArray forward(NDArray x, NDArray temb) {
    NDArray h = conv1.forward(Activations.silu(norm1.forward(x)));
    if (timeEmbProj != null) {
      NDArray t = timeEmbProj.forward(Activations.silu(temb));
      h = h.addi(t.expandDims(-1).expandDims(-1));
    }
    h = conv2.forward(Activations.silu(norm2.forward(h)));
    NDArray shortcut = convShortcut == null ? x : convShortcut.forward(x);
    NDArray out = h.addi(shortcut);
    return outputScaleFactor == 1f ? out : Scalars.divi(out, outputScaleFactor);
  }

  public int outChannels() {
    return conv2.out;
  }
}
