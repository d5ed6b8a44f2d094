package dev.viaspark.edit.diffusion;

import dev.viaspark.edit.VideoContext;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.IndexedFrames;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The masks of one video's frames, from the file its {@code edit.mask} names: one image for every
 * frame, or a video whose frames follow the video's by index. White means "may change"; a mask of
 * another size is resized to the video's, one of another aspect ratio refused. Every problem is an
 * {@link IllegalArgumentException} that names the mask file, so it fails that video's row.
 */
public final class MaskFrames implements AutoCloseable {
  /** The {@link VideoContext#options()} key holding the video's mask URI. */
  public static final String OPTION = "edit.mask";

  /** The option's value for a mask the model finds itself (no file). */
  public static final String AUTO = "auto";

  /**
   * The option's value for a mask found from the cross-attention to the instruction's words; {@code
   * attention:car,wheels} names the words (else every word of the instruction).
   */
  public static final String ATTENTION = "attention";

  /** Whether an {@code edit.mask} value asks the model to find the mask (no file to read). */
  public static boolean isFound(String value) {
    return value != null && (value.equals(AUTO) || attentionWords(value) != null);
  }

  /**
   * The words of an {@code attention[:w1,w2]} value (empty: every word of the instruction), or null
   * for any other value.
   */
  public static List<String> attentionWords(String value) {
    if (value == null) return null;
    if (value.equals(ATTENTION)) return List.of();
    if (!value.startsWith(ATTENTION + ":")) return null;
    List<String> words = new ArrayList<>();
    for (String w : value.substring(ATTENTION.length() + 1).split(",")) {
      if (!w.isBlank()) words.add(w.strip());
    }
    return words;
  }

  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp");

  private final String uri;
  private final TempFolder tmp;
  private final int width;
  private final int height;
  private final byte[] still;
  private final IndexedFrames frames;

  private MaskFrames(String uri, TempFolder tmp, File file, int width, int height, byte[] still) {
    this.uri = uri;
    this.tmp = tmp;
    this.frames = new IndexedFrames(file);
    this.width = width;
    this.height = height;
    this.still = still;
  }

  /** The video's masks, or null when it has none. */
  public static MaskFrames open(VideoContext video, Storage storage) {
    String uri = video.options().get(OPTION);
    if (uri == null || uri.isBlank() || isFound(uri)) return null;
    TempFolder tmp = null;
    try {
      tmp = TempFolder.create("viaspark-mask");
      File local;
      try {
        local = storage.localCopy(uri, tmp.dir());
      } catch (IOException e) {
        throw new IllegalArgumentException("edit.mask " + uri + ": cannot read it: " + e, e);
      }
      byte[] still = null;
      if (isImage(uri)) {
        still = toSize(ImageFiles.read(local), video.width(), video.height(), uri);
      }
      return new MaskFrames(uri, tmp, local, video.width(), video.height(), still);
    } catch (IOException | RuntimeException e) {
      if (tmp != null) tmp.close();
      if (e instanceof IllegalArgumentException iae && iae.getMessage().contains(uri)) throw iae;
      throw new IllegalArgumentException("edit.mask " + uri + ": " + e.getMessage(), e);
    }
  }

  /** One mask per frame, at the video's size, one byte per pixel. */
  public synchronized List<byte[]> of(List<VideoFrame> frames) {
    List<byte[]> out = new ArrayList<>(frames.size());
    for (VideoFrame f : frames) out.add(mask(f.index()));
    return out;
  }

  private byte[] mask(int index) {
    if (still != null) return still;
    try {
      if (index >= frames.frameCount()) {
        throw new IllegalArgumentException(
            "edit.mask "
                + uri
                + ": the mask video has "
                + frames.frameCount()
                + " frames, the video needs frame "
                + index);
      }
      return toSize(frames.at(index), width, height, uri);
    } catch (IllegalArgumentException e) {
      throw e.getMessage().contains(uri)
          ? e
          : new IllegalArgumentException("edit.mask " + uri + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("edit.mask " + uri + ": " + e.getMessage(), e);
    }
  }

  private static boolean isImage(String uri) {
    int dot = uri.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(uri.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * The frame as one byte per pixel (the mean of red, green and blue), at the given size. A mask of
   * another aspect ratio (beyond rounding, 2%) is refused rather than stretched over the frame.
   */
  private static byte[] toSize(VideoFrame rgb, int width, int height, String uri) {
    double ratio = (double) rgb.width() / rgb.height(), wanted = (double) width / height;
    if (Math.abs(ratio / wanted - 1) > 0.02) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "edit.mask %s: the mask is %dx%d (aspect %.3f), the video %dx%d (aspect %.3f); a mask"
                  + " of another aspect ratio would be stretched over the frames: give one of the"
                  + " video's",
              uri,
              rgb.width(),
              rgb.height(),
              ratio,
              width,
              height,
              wanted));
    }
    byte[] p = rgb.rgb();
    byte[] g = new byte[p.length / 3];
    for (int i = 0; i < g.length; i++) {
      g[i] = (byte) (((p[3 * i] & 0xff) + (p[3 * i + 1] & 0xff) + (p[3 * i + 2] & 0xff) + 1) / 3);
    }
    return FrameResizer.resizeGray(g, rgb.width(), rgb.height(), width, height);
  }

  @Override
  public synchronized void close() {
    frames.close();
    tmp.close();
  }

  @Override
  public String toString() {
    return "masks from " + uri;
  }
}
