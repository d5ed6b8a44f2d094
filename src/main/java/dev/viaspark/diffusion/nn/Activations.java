package dev.viaspark.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The activation functions of SD 1.x and CLIP. */
public final class Activations {
  private Activations() {}

  /** {@code x * sigmoid(x)}. */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** The exact (erf) GELU. */
  public static NDArray gelu(NDArray x) {
    return Activation.gelu(x);
  }

  /** CLIP's {@code x * sigmoid(1.702 x)}. */
  public static NDArray quickGelu(NDArray x) {
    return x.mul(Activation.sigmoid(Scalars.mul(x, 1.702f)));
  }
}
