package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt;

import java.io.File;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * The encoder setup every video viaspark writes shares: no B-frames (packets in presentation
 * order), exact size.
 */
final class VideoRecorders {
  private VideoRecorders() {}

  static FFmpegFrameRecorder create(
      File file,
      int width,
      int height,
      int audioChannels,
      OutputCodec codec,
      Rational fps,
      int gopFrames,
      int threads) {
    Ffmpeg.init();
    String sizeProblem = codec.sizeProblem(width, height);
    if (sizeProblem != null) throw new VideoException(file.getPath(), sizeProblem);
    FFmpegFrameRecorder r = new FFmpegFrameRecorder(file, width, height, audioChannels);
    r.setVideoCodecName(codec.encoder());
    r.setPixelFormat(av_get_pix_fmt(codec.pixelFormat()));
    r.setFrameRate(fps.value());
    r.setGopSize(Math.max(1, gopFrames));
    r.setMaxBFrames(0);
    r.setVideoOption("threads", Integer.toString(threads));
    // JavaCV rounds odd widths up (scaling the picture); the codec context option restores the
    // exact size
    r.setVideoOption("video_size", width + "x" + height);
    return r;
  }
}
