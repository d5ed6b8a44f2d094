package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;
import java.nio.ByteBuffer;

/**
 * Images between packed RGB bytes (HWC, as frames are decoded) and the model's NCHW tensors: {@code
 * u8/255*2-1} in, {@code clamp(x/2+0.5, 0, 1)} and {@code round(x*255)} out, in float32, as
 * diffusers' image processor does.
 */
public final class ImageTensors {
  private ImageTensors() {}

  /** One image [1, 3, h, w] in [-1, 1]. */
  public static NDArray fromRgb(NDManager manager, byte[] rgb, int width, int height) {
    NDArray hwc =
        OwnedArrays.of(manager, ByteBuffer.wrap(rgb), new Shape(height, width, 3), DataType.UINT8);
    return hwc.toType(DataType.FLOAT32, false)
        .divi(255f)
        .muli(2f)
        .subi(1f)
        .transpose(2, 0, 1)
        .expandDims(0);
  }

  /**
   * The pipeline's output [B, 3, h, w] in [0, 1] (already clamped) to packed RGB bytes, one array
   * per image.
   */
  public static byte[][] toRgb(NDArray image01) {
    NDArray bytes =
        image01
            .toType(DataType.FLOAT32, false)
            .mul(255f)
            .round()
            .clip(0, 255)
            .transpose(0, 2, 3, 1)
            .toType(DataType.UINT8, false);
    int n = (int) bytes.getShape().get(0);
    byte[] all = bytes.toByteArray();
    int per = all.length / n;
    byte[][] out = new byte[n][per];
    for (int i = 0; i < n; i++) System.arraycopy(all, i * per, out[i], 0, per);
    return out;
  }

  /** {@code clamp(x/2+0.5, 0, 1)}: the decoded image in [0, 1]. */
  public static NDArray postprocess(NDArray decoded) {
    return decoded.div(2f).addi(0.5f).clip(0f, 1f);
  }
}
