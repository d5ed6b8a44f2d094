/**
 * The {@code ip2p} frame editor: {@link InstructPix2PixEditor} edits frames with the video's
 * instruction through a shared {@code InstructPix2PixPipeline} ({@code
 * dev.viaspark.diffusion.pipeline}), registered by its nested {@code Provider}. Package-private
 * helpers resize frames to the model's multiple-of-8 grid and back, derive each frame's noise seed
 * from the seed and the input video (never from batch or executor), and draw a batch's noise one
 * source per sample. Its attention-hook entry point is what {@code dev.viaspark.via} builds
 * gather-and-swap on.
 */
package dev.viaspark.edit.diffusion;
