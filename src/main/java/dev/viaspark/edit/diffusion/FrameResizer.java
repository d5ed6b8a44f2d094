package dev.viaspark.edit.diffusion;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LANCZOS4;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Frames to the model's grid and back: diffusers resizes images whose sides are not multiples of 8
 * down to the next multiple of 8 (Lanczos); the edited picture is resized back so the video keeps
 * its exact size.
 */
final class FrameResizer {
  private FrameResizer() {}

  static int modelSide(int side) {
    return Math.max(8, side / 8 * 8);
  }

  static byte[] resizeRgb(byte[] rgb, int width, int height, int toWidth, int toHeight) {
    return resized(rgb, CV_8UC3, 3, width, height, toWidth, toHeight, INTER_LANCZOS4);
  }

  /** A one-channel mask, resized linearly (Lanczos would ring at its edges). */
  static byte[] resizeGray(byte[] gray, int width, int height, int toWidth, int toHeight) {
    return resized(gray, CV_8UC1, 1, width, height, toWidth, toHeight, INTER_LINEAR);
  }

  private static byte[] resized(
      byte[] pixels,
      int type,
      int channels,
      int width,
      int height,
      int toWidth,
      int toHeight,
      int interpolation) {
    if (width == toWidth && height == toHeight) return pixels;
    try (Mat src = new Mat(height, width, type);
        Mat dst = new Mat()) {
      src.data().put(pixels);
      resize(src, dst, new Size(toWidth, toHeight), 0, 0, interpolation);
      byte[] out = new byte[toWidth * toHeight * channels];
      dst.data().get(out);
      return out;
    }
  }
}
