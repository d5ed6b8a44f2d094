package dev.viaspark.job;

import dev.viaspark.video.ImageCodec;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/** Still image files as RGB frames ({@link ImageCodec}); writes are atomic. */
final class ImageFiles {
  private ImageFiles() {}

  static VideoFrame read(File file) throws IOException {
    if (!file.isFile()) throw new UsageException(file + ": no such image");
    VideoFrame frame = ImageCodec.decode(Files.readAllBytes(file.toPath()));
    if (frame == null) throw new UsageException(file + ": not a readable image (PNG, JPEG, BMP, TIFF, WebP)");
    return frame;
  }

  static void write(VideoFrame frame, File file) throws IOException {
    File dir = file.getAbsoluteFile().getParentFile();
    if (dir != null) Files.createDirectories(dir.toPath());
    String name = file.getName();
    int dot = name.lastIndexOf('.');
    if (dot < 0) throw new UsageException(file + ": give the output an image extension (.png, .jpg)");
    byte[] bytes;
    try {
      bytes = ImageCodec.encode(frame, name.substring(dot));
    } catch (IllegalArgumentException e) {
      throw new UsageException(file + ": " + e.getMessage());
    }
    File tmp = new File(dir, "." + name.substring(0, dot) + ".tmp" + name.substring(dot));
    Files.write(tmp.toPath(), bytes);
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
