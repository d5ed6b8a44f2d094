package dev.viaspark.edit.diffusion;

import dev.viaspark.edit.VideoContext;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edited keyframes that guide a video's edit ({@code edit.guide}): a folder of images made by
 * any tool, each named by the index of the frame it replaces ({@code 000000.png}, {@code
 * 000120.png}; any number of digits, any image extension). Every problem is an {@link
 * IllegalArgumentException} naming the folder or file, so it fails that video's row.
 */
public final class GuideFrames {
  /** The {@link VideoContext#options()} key holding the video's guide folder URI. */
  public static final String OPTION = "edit.guide";

  private static final Pattern NAME =
      Pattern.compile("(\\d+)\\.(png|jpg|jpeg|bmp|tif|tiff|webp)", Pattern.CASE_INSENSITIVE);

  private GuideFrames() {}

  /** The video's guide folder, or null when it has none. */
  public static String uriOf(VideoContext video) {
    String uri = video.options().get(OPTION);
    return uri == null || uri.isBlank() ? null : uri;
  }

  /** A guide file and the frame it replaces. */
  private record Guide(String file, int index) {}

  /**
   * The frame indices the folder's files replace, ascending.
   *
   * @param frameCount the video's frames: a file for a frame past them is an error
   */
  public static int[] indices(String folder, Storage storage, int frameCount) {
    return guides(folder, storage, frameCount).stream().mapToInt(Guide::index).toArray();
  }

  /**
   * The guide frames, ascending by index, each a frame of the video's size with the index it
   * replaces.
   */
  public static List<VideoFrame> load(VideoContext video, Storage storage) {
    String folder = uriOf(video);
    if (folder == null) throw new IllegalStateException("the video has no edit.guide");
    List<VideoFrame> out = new ArrayList<>();
    try (TempFolder tmp = TempFolder.create("viaspark-guide")) {
      for (Guide g : guides(folder, storage, video.frameCount())) {
        VideoFrame image;
        try {
          image = ImageFiles.read(storage.localCopy(g.file(), tmp.dir()));
        } catch (IOException | IllegalArgumentException e) {
          throw new IllegalArgumentException("edit.guide " + g.file() + ": " + e.getMessage(), e);
        }
        if (image.width() != video.width() || image.height() != video.height()) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "edit.guide %s: %dx%d, the video is %dx%d (a guide replaces a frame, at its size)",
                  g.file(),
                  image.width(),
                  image.height(),
                  video.width(),
                  video.height()));
        }
        out.add(new VideoFrame(g.index(), image.width(), image.height(), image.rgb()));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("edit.guide " + folder + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static List<Guide> guides(String folder, Storage storage, int frameCount) {
    List<Guide> out = new ArrayList<>();
    for (String file : files(folder, storage)) {
      Matcher m = NAME.matcher(Storage.fileName(file));
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "edit.guide " + file + ": not named by a frame index (000120.png replaces frame 120)");
      }
      long index = Long.parseLong(m.group(1));
      if (index >= frameCount) {
        throw new IllegalArgumentException(
            "edit.guide " + file + ": no such frame, the video has " + frameCount + " frames");
      }
      out.add(new Guide(file, (int) index));
    }
    out.sort(Comparator.comparingInt(Guide::index));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).index() == out.get(i - 1).index()) {
        throw new IllegalArgumentException(
            "edit.guide "
                + out.get(i).file()
                + ": a second guide for frame "
                + out.get(i).index()
                + " (also "
                + Storage.fileName(out.get(i - 1).file())
                + ")");
      }
    }
    return out;
  }

  private static List<String> files(String folder, Storage storage) {
    List<String> files;
    try {
      files = storage.list(folder);
    } catch (IOException e) {
      throw new IllegalArgumentException("edit.guide " + folder + ": cannot list it: " + e, e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "edit.guide " + folder + ": no guide frames (a folder of images named 000120.png, ...)");
    }
    return files;
  }
}
