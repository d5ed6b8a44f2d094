/**
 * Video input and output on FFmpeg (through JavaCV): {@link VideoProbe} reads a file's {@link
 * VideoInfo} and keyframe index, {@link SegmentPlanner} cuts it into keyframe-aligned {@link
 * Segment}s, {@link SegmentReader} decodes a segment frame-exactly into {@link VideoFrame}s (packed
 * RGB24, the currency shared with the editors), and {@link SegmentWriter} encodes edited frames
 * with {@link EncoderSettings} and an {@link OutputCodec}. The {@link Assembler} joins segments
 * with the source's audio into an {@link OutputContainer}. {@link ImageCodec} and {@link
 * ImageFiles} handle still images, {@link VideoFrames} reads the first frames of a file outside
 * Spark, and {@link SyntheticVideo} generates test and demo videos. The job's stages and the SQL
 * functions build on this package.
 */
package dev.viaspark.video;
