package dev.viaspark.job;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.bytedeco.opencv.opencv_core.Mat;

/** Still images (PNG, JPEG, ...) as RGB frames, read and written with OpenCV; writes are atomic. */
final class ImageFiles {
  private ImageFiles() {}

  static VideoFrame read(File file) {
    if (!file.isFile()) throw new UsageException(file + ": no such image");
    try (Mat bgr = imread(file.getPath(), IMREAD_COLOR); Mat rgb = new Mat()) {
      if (bgr == null || bgr.empty()) throw new UsageException(file + ": not a readable image (PNG, JPEG, BMP, TIFF, WebP)");
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      byte[] pixels = new byte[rgb.cols() * rgb.rows() * 3];
      rgb.data().get(pixels);
      return new VideoFrame(0, rgb.cols(), rgb.rows(), pixels);
    }
  }

  static void write(VideoFrame frame, File file) throws IOException {
    File dir = file.getAbsoluteFile().getParentFile();
    if (dir != null) Files.createDirectories(dir.toPath());
    String name = file.getName();
    int dot = name.lastIndexOf('.');
    if (dot < 0) throw new UsageException(file + ": give the output an image extension (.png, .jpg)");
    File tmp = new File(dir, "." + name.substring(0, dot) + ".tmp" + name.substring(dot));
    try (Mat rgb = new Mat(frame.height(), frame.width(), org.bytedeco.opencv.global.opencv_core.CV_8UC3);
        Mat bgr = new Mat()) {
      rgb.data().put(frame.rgb());
      cvtColor(rgb, bgr, COLOR_RGB2BGR);
      if (!imwrite(tmp.getPath(), bgr)) throw new IOException(file + ": cannot write the image (unknown extension?)");
    }
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
