/**
 * The noise predictor: diffusers' {@link UNet2DConditionModel} for SD 1.x and InstructPix2Pix,
 * built from a {@link UNetConfig} with its time embedding ({@link Timesteps}, {@link
 * TimestepEmbedding}), down blocks ({@link CrossAttnDownBlock2D}, {@link DownBlock2D}), the mid
 * block ({@link UNetMidBlock2DCrossAttn}), up blocks ({@link CrossAttnUpBlock2D}, {@link
 * UpBlock2D}), and cross-attention through {@link Transformer2DModel}, {@link
 * BasicTransformerBlock} and {@link FeedForward}. It is assembled from the layers of {@code
 * dev.viaspark.diffusion.nn} and {@code dev.viaspark.diffusion.attention}, loads its weights
 * through {@code dev.viaspark.diffusion.weights}, and is run by the pipeline once per denoising
 * step.
 */
package dev.viaspark.diffusion.unet;
