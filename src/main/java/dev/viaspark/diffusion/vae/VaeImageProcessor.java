package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;

/** The part of diffusers' {@code VaeImageProcessor} that turns RGB bytes into the VAE's input. */
public final class VaeImageProcessor {
  private VaeImageProcessor() {}

  /**
   * {@code u8 / 255 * 2 - 1} in float32, HWC to NCHW, as diffusers does for a PIL image (no resize:
   * the caller gives a size the pipeline accepts).
   *
   * @param rgb height x width x 3 bytes, row-major
   * @return [1, 3, height, width] in [-1, 1], owned by {@code manager}
   */
  public static NDArray preprocess(NDManager manager, byte[] rgb, int height, int width) {
    int plane = height * width;
    if (rgb.length != plane * 3) {
      throw new IllegalArgumentException(
          rgb.length + " bytes are not a " + height + "x" + width + " RGB image");
    }
    float[] chw = new float[rgb.length];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) chw[c * plane + p] = (rgb[p * 3 + c] & 0xff) / 255f * 2f - 1f;
    }
    return OwnedArrays.of(manager, chw, new Shape(1, 3, height, width));
  }
}
