package dev.viaspark.diffusion.attention;

/**
 * The classifier-free guidance branches of an InstructPix2Pix UNet batch, in batch order:
 * text+image, unconditional+image, unconditional+no image. Without guidance the batch is only
 * {@link #TEXT_IMAGE}.
 */
public enum GuidanceBranch {
  TEXT_IMAGE,
  UNCOND_IMAGE,
  UNCOND_NO_IMAGE
}
