/**
 * A synthetic toy domain for training and evaluating a small InstructPix2Pix model: {@link
 * ToyVideoSampler} draws {@link ToyVideo}s of moving {@link ToyShape}s over a {@link
 * ToyBackground}, {@link ToyRenderer} draws them without anti-aliasing, and {@link ToyInstruction}
 * is a small instruction grammar whose exact result {@link ToyEdit} computes. {@link ToyDataset}
 * turns seeds into {@link ToyExample}s split by {@link ToySplit}, and {@link ToyAccuracy} scores an
 * edited frame (by class for instructions with many right results, such as stripes). {@link
 * ToyDemoVideo} is the demo's held-out video. Frames are {@code dev.viaspark.video} frames; the
 * training in {@code dev.viaspark.train}, the benchmark in {@code dev.viaspark.toy.bench} and the
 * job's demo use this package.
 */
package dev.viaspark.toy;
