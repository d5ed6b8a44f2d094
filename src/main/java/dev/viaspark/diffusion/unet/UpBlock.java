package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionContext;
import java.util.List;

/**
 * A UNet up block: it takes its skip tensors from the end of {@code skips} (removing them) and
 * concatenates {@code [hidden, skip]} before each resnet; its upsampler resizes to the next skip's
 * size.
 */
interface UpBlock {
  NDArray forward(
      NDArray x, NDArray temb, NDArray context, AttentionContext ctx, List<NDArray> skips);
}
