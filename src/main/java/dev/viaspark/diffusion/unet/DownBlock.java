package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionContext;
import java.util.List;

/**
 * A UNet down block: its output, and the skip tensors it adds for the up path (appended to {@code
 * skips}).
 */
interface DownBlock {
  NDArray forward(
      NDArray x, NDArray temb, NDArray context, AttentionContext ctx, List<NDArray> skips);
}
