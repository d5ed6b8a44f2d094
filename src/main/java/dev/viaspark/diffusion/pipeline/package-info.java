/**
 * The InstructPix2Pix pipeline over a local diffusers checkpoint folder: {@link
 * InstructPix2PixPipeline} ties the tokenizer and text encoder ({@code clip}), the {@code unet},
 * the {@code vae} and a scheduler ({@code schedulers}) into the three-branch classifier-free guided
 * edit described by an {@link EditCall}, telling a {@link StepListener} after each step. {@link
 * ImageTensors} converts between packed RGB bytes and the model's tensors, {@link Pipelines} keeps
 * one loaded pipeline per folder, device, dtype and attention chunk per JVM, and {@link
 * ModelFolders} copies HDFS or S3 model folders to a local cache. The frame editor in {@code
 * dev.viaspark.edit.diffusion} is its main user.
 */
package dev.viaspark.diffusion.pipeline;
