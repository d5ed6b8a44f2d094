package dev.viaspark.video;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * Still image files as RGB frames ({@link ImageCodec}); writes are atomic. A missing or unreadable
 * file, or an output name without an image extension, is an {@link IllegalArgumentException} naming
 * the file.
 */
public final class ImageFiles {
  private ImageFiles() {}

  public static VideoFrame read(File file) throws IOException {
    if (!file.isFile()) throw new IllegalArgumentException(file + ": no such image");
    VideoFrame frame = ImageCodec.decode(Files.readAllBytes(file.toPath()));
    if (frame == null) {
      throw new IllegalArgumentException(
          file + ": not a readable image (PNG, JPEG, BMP, TIFF, WebP)");
    }
    return frame;
  }

  public static void write(VideoFrame frame, File file) throws IOException {
    File dir = file.getAbsoluteFile().getParentFile();
    if (dir != null) Files.createDirectories(dir.toPath());
    String name = file.getName();
    int dot = name.lastIndexOf('.');
    if (dot < 0)
      throw new IllegalArgumentException(
          file + ": give the output an image extension (.png, .jpg)");
    byte[] bytes;
    try {
      bytes = ImageCodec.encode(frame, name.substring(dot));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    File tmp = new File(dir, "." + name.substring(0, dot) + ".tmp" + name.substring(dot));
    Files.write(tmp.toPath(), bytes);
    Files.move(
        tmp.toPath(),
        file.toPath(),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
