/**
 * The SD 1.x VAE: diffusers' {@link AutoencoderKL}, built from a {@link VaeConfig}, encodes images
 * in [-1, 1] to a {@link DiagonalGaussianDistribution} over latents and decodes latents back to
 * images, through its {@link Encoder} and {@link Decoder} and their blocks ({@link
 * DownEncoderBlock2D}, {@link UpDecoderBlock2D}, {@link UNetMidBlock2D} with {@link VaeAttention}).
 * {@link VaeImageProcessor} turns RGB bytes into the VAE's input. The pipeline uses it for the
 * source image latents and the final decode; the layers come from {@code
 * dev.viaspark.diffusion.nn}.
 */
package dev.viaspark.diffusion.vae;
