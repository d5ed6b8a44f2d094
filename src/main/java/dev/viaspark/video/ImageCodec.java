package dev.viaspark.video;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Still images (PNG, JPEG, BMP, TIFF, WebP) to and from RGB frames, in memory, with OpenCV's
 * codecs.
 */
public final class ImageCodec {
  private ImageCodec() {}

  /** The image's pixels as frame 0, or null when the bytes are not an image OpenCV can decode. */
  public static VideoFrame decode(byte[] encoded) {
    if (encoded == null || encoded.length == 0) return null;
    try (Mat buf = new Mat(1, encoded.length, opencv_core.CV_8UC1);
        Mat rgb = new Mat()) {
      buf.data().put(encoded);
      try (Mat bgr = imdecode(buf, IMREAD_COLOR)) {
        if (bgr == null || bgr.empty()) return null;
        cvtColor(bgr, rgb, COLOR_BGR2RGB);
      }
      byte[] pixels = new byte[rgb.cols() * rgb.rows() * 3];
      rgb.data().get(pixels);
      return new VideoFrame(0, rgb.cols(), rgb.rows(), pixels);
    }
  }

  /**
   * The frame encoded in the format of {@code extension} (".png", ".jpg", ...).
   *
   * @throws IllegalArgumentException when OpenCV has no encoder for the extension
   */
  public static byte[] encode(VideoFrame frame, String extension) {
    try (Mat rgb = new Mat(frame.height(), frame.width(), opencv_core.CV_8UC3);
        Mat bgr = new Mat();
        BytePointer out = new BytePointer()) {
      rgb.data().put(frame.rgb());
      cvtColor(rgb, bgr, COLOR_RGB2BGR);
      boolean ok;
      try {
        ok = imencode(extension, bgr, out);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (!ok)
        throw new IllegalArgumentException(
            "no image encoder for '" + extension + "' (use .png or .jpg)");
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }
}
