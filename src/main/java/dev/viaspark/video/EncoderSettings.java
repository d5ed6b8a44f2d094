package dev.viaspark.video;

import java.io.Serializable;

/**
 * How edited video is encoded.
 *
 * @param bitsPerPixel bitrate for lossy codecs, per pixel per frame (0.1 gives ~6 Mbit/s at
 *     1080p30); ignored when {@code bitrate} is positive
 * @param bitrate fixed bitrate in bit/s, or 0 to derive it from {@code bitsPerPixel}
 * @param keyframeSeconds keyframe interval of the output
 * @param threads encoder threads per task (1 keeps outputs byte-identical across machines; Spark
 *     runs tasks in parallel anyway)
 */
public record EncoderSettings(
    OutputCodec codec, double bitsPerPixel, long bitrate, double keyframeSeconds, int threads)
    implements Serializable {

  public static EncoderSettings defaults(OutputCodec codec) {
    return new EncoderSettings(codec, 0.1, 0, 2.0, 1);
  }

  int bitrateFor(int width, int height, double fps) {
    if (bitrate > 0) return (int) Math.min(Integer.MAX_VALUE, bitrate);
    return (int)
        Math.max(
            100_000, Math.min(Integer.MAX_VALUE, width * (double) height * fps * bitsPerPixel));
  }
}
