package dev.viaspark.video;

/**
 * One decoded frame as packed RGB24 bytes (row-major, no padding), with its index in presentation
 * order. This is the currency between decoding, the frame editors and encoding.
 */
public record VideoFrame(int index, int width, int height, byte[] rgb) {
  public VideoFrame {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "frame " + index + ": " + rgb.length + " bytes for " + width + "x" + height + " RGB24");
    }
  }

  /** The same frame position with other pixels (same size). */
  public VideoFrame withPixels(byte[] newRgb) {
    return new VideoFrame(index, width, height, newRgb);
  }
}
