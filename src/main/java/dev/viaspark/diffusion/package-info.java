/**
 * The root of the diffusion engine, a Java (DJL) port of the diffusers/transformers modules an
 * InstructPix2Pix checkpoint needs. This package holds only {@link ConfigJson}, the reader of a
 * component's {@code config.json} whose errors name the file and key; the configs of {@code clip},
 * {@code unet}, {@code vae} and {@code schedulers} are built from it. The subpackages hold the
 * layers ({@code nn}, {@code attention}), the models, checkpoint loading ({@code weights}) and the
 * end-to-end {@code pipeline}.
 */
package dev.viaspark.diffusion;
