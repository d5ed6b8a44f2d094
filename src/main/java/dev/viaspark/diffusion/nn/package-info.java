/**
 * The basic layers shared by the UNet, the VAE and the CLIP text encoder, as NCHW ports of their
 * PyTorch and diffusers counterparts: {@link Linear}, {@link Conv2d}, {@link GroupNorm}, {@link
 * LayerNorm}, the {@link Activations}, and the diffusers blocks {@link ResnetBlock2D}, {@link
 * Downsample2D} and {@link Upsample2D}. Each layer takes its tensors from a {@code Weights} view
 * ({@code dev.viaspark.diffusion.weights}), so its field paths are the checkpoint keys.
 */
package dev.viaspark.diffusion.nn;
