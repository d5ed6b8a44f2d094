package dev.viaspark.edit.diffusion;

import dev.viaspark.edit.VideoContext;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.IOException;

/**
 * The reference image whose appearance the masked region of a video's frames takes ({@code
 * edit.reference}): one image made by any tool, resized to the video's size. Every problem is an
 * {@link IllegalArgumentException} naming the file, so it fails that video's row.
 */
public final class ReferenceImage {
  /** The {@link VideoContext#options()} key holding the video's reference image URI. */
  public static final String OPTION = "edit.reference";

  private ReferenceImage() {}

  /** The video's reference image URI, or null when it has none. */
  public static String uriOf(VideoContext video) {
    String uri = video.options().get(OPTION);
    return uri == null || uri.isBlank() ? null : uri;
  }

  /** The reference image at the video's size, as frame 0. */
  public static VideoFrame load(VideoContext video, Storage storage) {
    String uri = uriOf(video);
    if (uri == null) throw new IllegalStateException("the video has no edit.reference");
    VideoFrame image;
    try (TempFolder tmp = TempFolder.create("viaspark-reference")) {
      image = ImageFiles.read(storage.localCopy(uri, tmp.dir()));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("edit.reference " + uri + ": " + e.getMessage(), e);
    }
    byte[] rgb =
        image.width() == video.width() && image.height() == video.height()
            ? image.rgb()
            : FrameResizer.resizeRgb(
                image.rgb(), image.width(), image.height(), video.width(), video.height());
    return new VideoFrame(0, video.width(), video.height(), rgb);
  }
}
