package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.viaspark.diffusion.schedulers.NoiseSource;

/**
 * I2VEdit's smooth area random perturbation (SARP, section 3.3): before a frame is inverted, small
 * Gaussian noise is added where the frame is flat, because a model never saw noise-free flat areas
 * in training and inverts them badly. Flat means a Sobel gradient magnitude (on pixels in [0, 1],
 * the largest over the colour channels) below {@code gradientThreshold}.
 *
 * @param gradientThreshold the Sobel magnitude under which a pixel counts as flat (I2VEdit: 0.001)
 * @param scale the noise's standard deviation in [-1, 1] pixel units (I2VEdit: 0.02 for Stable
 *     Diffusion)
 */
public record SmoothAreaPerturbation(float gradientThreshold, float scale) {
  /** I2VEdit's settings for Stable Diffusion. */
  public static final SmoothAreaPerturbation I2VEDIT = new SmoothAreaPerturbation(0.001f, 0.02f);

  public SmoothAreaPerturbation {
    if (!(gradientThreshold >= 0) || !(scale >= 0)) {
      throw new IllegalArgumentException(
          "gradient threshold and scale must be 0 or more, got "
              + gradientThreshold
              + ", "
              + scale);
    }
  }

  /** 1 where the images [B, 3, H, W] in [-1, 1] are flat, 0 elsewhere: [B, 1, H, W]. */
  public NDArray mask(NDArray images) {
    NDArray x = images.add(1f).div(2f);
    long h = x.getShape().get(2), w = x.getShape().get(3);
    NDArray p = replicatePad(x);
    NDArray gx =
        p.get(cols(0, h, 2, w))
            .add(p.get(cols(1, h, 2, w)).mul(2f))
            .add(p.get(cols(2, h, 2, w)))
            .sub(p.get(cols(0, h, 0, w)))
            .sub(p.get(cols(1, h, 0, w)).mul(2f))
            .sub(p.get(cols(2, h, 0, w)));
    NDArray gy =
        p.get(cols(2, h, 0, w))
            .add(p.get(cols(2, h, 1, w)).mul(2f))
            .add(p.get(cols(2, h, 2, w)))
            .sub(p.get(cols(0, h, 0, w)))
            .sub(p.get(cols(0, h, 1, w)).mul(2f))
            .sub(p.get(cols(0, h, 2, w)));
    NDArray magnitude = gx.square().add(gy.square()).sqrt().max(new int[] {1}, true);
    return magnitude.lt(gradientThreshold).toType(images.getDataType(), false);
  }

  /** The images with {@code scale} times one draw of {@code noise} added where they are flat. */
  public NDArray apply(NDArray images, NoiseSource noise) {
    NDArray drawn =
        noise
            .next(images.getManager(), images.getShape())
            .toDevice(images.getDevice(), false)
            .toType(images.getDataType(), false);
    return images.add(drawn.mul(scale).mul(mask(images)));
  }

  /** The [H, W] window of a padded [B, C, H + 2, W + 2] array starting at (row, col). */
  private static NDIndex cols(long row, long h, long col, long w) {
    return new NDIndex(":, :, {}:{}, {}:{}", row, row + h, col, col + w);
  }

  private static NDArray replicatePad(NDArray x) {
    long h = x.getShape().get(2), w = x.getShape().get(3);
    NDArray rows =
        NDArrays.concat(
            new NDList(
                x.get(new NDIndex(":, :, 0:1, :")),
                x,
                x.get(new NDIndex(":, :, {}:{}, :", h - 1, h))),
            2);
    return NDArrays.concat(
        new NDList(
            rows.get(new NDIndex(":, :, :, 0:1")),
            rows,
            rows.get(new NDIndex(":, :, :, {}:{}", w - 1, w))),
        3);
  }
}
