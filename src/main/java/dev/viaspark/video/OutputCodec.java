package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The video encoders viaspark writes with. {@code h264} is Cisco's OpenH264 in the LGPL FFmpeg that
 * JavaCV bundles (libx264 is only in the GPL build, which we do not ship: see
 * docs/output-and-report.md, "Output codecs").
 */
public enum OutputCodec {
  H264("h264", "libopenh264", "yuv420p", false),
  MPEG4("mpeg4", "mpeg4", "yuv420p", false),
  FFV1("ffv1", "ffv1", "bgr0", true),
  LIBX264("libx264", "libx264", "yuv420p", false);

  /** The lossy codec the job falls back to for a video whose size the chosen codec cannot keep. */
  public static final OutputCodec ODD_SIZE = MPEG4;

  private final String configName;
  private final String encoder;
  private final String pixelFormat;
  private final boolean lossless;

  OutputCodec(String configName, String encoder, String pixelFormat, boolean lossless) {
    this.configName = configName;
    this.encoder = encoder;
    this.pixelFormat = pixelFormat;
    this.lossless = lossless;
  }

  public String configName() {
    return configName;
  }

  /** The FFmpeg encoder name. */
  public String encoder() {
    return encoder;
  }

  public String pixelFormat() {
    return pixelFormat;
  }

  /** Lossless codecs keep the edited RGB frames bit-exact (ffv1 stores 8-bit RGB). */
  public boolean lossless() {
    return lossless;
  }

  /**
   * Why this encoder cannot keep a {@code width x height} picture, or null when it can. OpenH264
   * and x264 encode 4:2:0 at even sizes only (OpenH264 silently crops an odd row/column); mpeg4 and
   * ffv1 keep odd sizes.
   */
  public String sizeProblem(int width, int height) {
    if ((this == H264 || this == LIBX264) && (width % 2 != 0 || height % 2 != 0)) {
      return "the "
          + configName
          + " encoder needs an even width and height, the video is "
          + width
          + "x"
          + height
          + " (use output.codec=mpeg4 or ffv1, which keep odd sizes)";
    }
    return null;
  }

  /** Whether the bundled FFmpeg has this encoder. */
  public boolean available() {
    Ffmpeg.init();
    return avcodec_find_encoder_by_name(encoder) != null;
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(OutputCodec::configName).collect(Collectors.toList());
  }

  public static OutputCodec parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (OutputCodec c : values()) if (c.configName.equals(n) || c.encoder.equals(n)) return c;
    throw new IllegalArgumentException("unknown codec '" + name + "' (one of " + names() + ")");
  }
}
