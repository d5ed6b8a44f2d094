package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts decoded frames of any pixel format to packed RGB24, bit-exactly (same input, same
 * bytes).
 */
final class RgbConverter implements AutoCloseable {
  private SwsContext sws;
  private BytePointer buffer;
  private int bufferSize;

  VideoFrame convert(AVFrame f, int index) {
    int w = f.width(), h = f.height();
    sws =
        sws_getCachedContext(
            sws,
            w,
            h,
            f.format(),
            w,
            h,
            AV_PIX_FMT_RGB24,
            SWS_BILINEAR,
            (SwsFilter) null,
            (SwsFilter) null,
            (DoublePointer) null);
    int size = w * h * 3;
    if (buffer == null || bufferSize < size) {
      if (buffer != null) buffer.close();
      buffer = new BytePointer(size);
      bufferSize = size;
    }
    // swscale reads four plane pointers and strides on both sides, even for packed RGB
    try (PointerPointer<BytePointer> dst =
            new PointerPointer<>(buffer.position(0), null, null, null);
        IntPointer dstStride = new IntPointer(w * 3, 0, 0, 0)) {
      sws_scale(sws, f.data(), f.linesize(), 0, h, dst, dstStride);
    }
    byte[] rgb = new byte[size];
    buffer.position(0).get(rgb);
    return new VideoFrame(index, w, h, rgb);
  }

  @Override
  public void close() {
    if (sws != null) sws_freeContext(sws);
    if (buffer != null) buffer.close();
    sws = null;
    buffer = null;
  }
}
