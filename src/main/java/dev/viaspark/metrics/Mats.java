package dev.viaspark.metrics;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.viaspark.video.VideoFrame;
import org.bytedeco.opencv.opencv_core.Mat;

/** Frames as OpenCV Mats, allocated in the caller's {@link org.bytedeco.javacpp.PointerScope}. */
final class Mats {
  private Mats() {}

  static Mat rgb(VideoFrame f) {
    Mat m = new Mat(f.height(), f.width(), CV_8UC3);
    m.data().put(f.rgb());
    return m;
  }

  static Mat gray(Mat rgb) {
    Mat gray = new Mat();
    cvtColor(rgb, gray, COLOR_RGB2GRAY);
    return gray;
  }

  static Mat floats(Mat m) {
    Mat f = new Mat();
    m.convertTo(f, CV_32F);
    return f;
  }
}
