/**
 * Temporal-consistency metrics of an edited video: {@link TemporalMetrics} is fed (source, output)
 * frame pairs in order, estimates optical flow on the source frames with OpenCV, and accumulates
 * warp errors and consecutive-frame differences into {@link TemporalScores}, which merge across
 * segments. It works on {@code VideoFrame}s from {@code dev.viaspark.video}; the job's edit stage
 * and benchmarks use it to score outputs.
 */
package dev.viaspark.metrics;
