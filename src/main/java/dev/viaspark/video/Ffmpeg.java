package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;

/** Small helpers shared by the low-level FFmpeg code (error text, rationals, quiet logging). */
final class Ffmpeg {
  static {
    av_log_set_level(AV_LOG_ERROR);
  }

  private Ffmpeg() {}

  /** Ensures the static initialiser (log level) has run. */
  static void init() {}

  static String error(int code) {
    byte[] buf = new byte[256];
    av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) n++;
    return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
  }

  static void check(int ret, String file, String what) {
    if (ret < 0) throw new VideoException(file, what + ": " + error(ret));
  }

  static AVRational rational(int num, int den) {
    return avutil.av_make_q(num, den);
  }
}
