package dev.viaspark.video;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * One frame as the decoder produced it (its own pixel format, usually YUV 4:2:0), before any colour
 * conversion: what {@link SegmentReader#nextDecoded()} returns for writers that need no RGB pixels
 * ({@link SegmentWriter#write( DecodedFrame)}). It is a view of the reader's decoder output, valid
 * until the reader's next call.
 */
public final class DecodedFrame {
  private final SegmentReader reader;
  int index;

  DecodedFrame(SegmentReader reader) {
    this.reader = reader;
  }

  /** The frame's index in presentation order. */
  public int index() {
    return index;
  }

  /**
   * The same frame as packed RGB24, exactly what {@link SegmentReader#next()} would have returned.
   */
  public VideoFrame toRgb() {
    return reader.rgbOf(this);
  }

  AVFrame avFrame() {
    return reader.held(this);
  }
}
