package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * diffusers' {@code Timesteps} ({@code time_proj}): the sinusoidal embedding of the timestep, in
 * float32, {@code [cos, sin]} when {@code flipSinToCos} (SD 1.x) and {@code [sin, cos]} otherwise.
 */
public final class Timesteps {
  private final int channels;
  private final boolean flipSinToCos;
  private final float freqShift;

  public Timesteps(int channels, boolean flipSinToCos, float freqShift) {
    this.channels = channels;
    this.flipSinToCos = flipSinToCos;
    this.freqShift = freqShift;
  }

  /**
   * @param t timesteps [batch] (any numeric dtype)
   */
  public NDArray forward(NDArray t) {
    int half = channels / 2;
    NDArray exponent =
        t.getManager()
            .arange(0f, half, 1f, DataType.FLOAT32, t.getDevice())
            .muli((float) -Math.log(10000))
            .divi(half - freqShift);
    NDArray args =
        t.toType(DataType.FLOAT32, false).expandDims(1).mul(exponent.exp().expandDims(0));
    NDArray sin = args.sin(), cos = args.cos();
    return flipSinToCos
        ? NDArrays.concat(new NDList(cos, sin), 1)
        : NDArrays.concat(new NDList(sin, cos), 1);
  }
}
