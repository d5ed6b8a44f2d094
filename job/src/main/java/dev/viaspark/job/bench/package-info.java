/**
 * {@code viaspark bench}: {@link BenchCommand} times the engine ({@code unet}: UNet forwards with
 * random weights of any config; {@code pipeline}: one full edit) and dispatches {@code via} ({@link
 * ViaBench}: per-frame editing against gather-and-swap on the same frames) and {@code toy} (the toy
 * module's {@code ToyBench}); {@link RandomUnetCheckpoint} writes a checkpoint with a random UNet.
 * Benchmarks call the same library code the job runs (the frame editor, {@code ViaGather.toFolder},
 * {@code Anchors.of}, {@code FrameEditor.framesPerCall}).
 */
package dev.viaspark.job.bench;
