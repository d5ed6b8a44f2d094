package dev.viaspark.edit.diffusion;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LANCZOS4;
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
    if (width == toWidth && height == toHeight) return rgb;
    try (Mat src = new Mat(height, width, CV_8UC3);
        Mat dst = new Mat()) {
      src.data().put(rgb);
      resize(src, dst, new Size(toWidth, toHeight), 0, 0, INTER_LANCZOS4);
      byte[] out = new byte[toWidth * toHeight * 3];
      dst.data().get(out);
      return out;
    }
  }
}
