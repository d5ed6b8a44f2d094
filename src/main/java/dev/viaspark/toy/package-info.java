/**
 * A synthetic toy domain for training and evaluating a small InstructPix2Pix model: {@link ToyVideoSampler} draws
 * {@link ToyVideo}s of moving {@link ToyShape}s over a {@link ToyBackground}, {@link ToyRenderer} draws them without
 * anti-aliasing, and {@link ToyInstruction} is a small instruction grammar whose exact result {@link ToyEdit}
 * computes. {@link ToyDataset} turns seeds into {@link ToyExample}s split by {@link ToySplit}, and
 * {@link ToyAccuracy} scores an edited frame against its target. Frames are {@code dev.viaspark.video} frames; the
 * training code in {@code dev.viaspark.train} and the job's toy benchmark and demo use this package.
 */
package dev.viaspark.toy;
