package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.io.File;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

/** An opened media file (demuxer) with its best video stream and, if any, its best audio stream. */
final class MediaInput implements AutoCloseable {
  private final String file;
  private final AVFormatContext ctx;
  private final int videoStream;
  private final int audioStream;

  private MediaInput(String file, AVFormatContext ctx, int videoStream, int audioStream) {
    this.file = file;
    this.ctx = ctx;
    this.videoStream = videoStream;
    this.audioStream = audioStream;
  }

  /** avformat.h's AVFMT_FLAG_GENPTS, which the bindings do not define. */
  private static final int AVFMT_FLAG_GENPTS = 0x0001;

  static MediaInput open(File f) {
    Ffmpeg.init();
    String file = f.getPath();
    if (!f.isFile()) throw new VideoException(file, "no such file");
    if (f.length() == 0) throw new VideoException(file, "the file is empty");
    AVFormatContext ctx = new AVFormatContext(null);
    int ret = avformat_open_input(ctx, file, (AVInputFormat) null, (AVDictionary) null);
    if (ret < 0) {
      throw new VideoException(
          file,
          "not a readable media file (not a video, truncated or corrupt): " + Ffmpeg.error(ret));
    }
    // packets without a timestamp (MPEG-PS reference frames) get one from the parser, not the
    // decode order
    ctx.flags(ctx.flags() | AVFMT_FLAG_GENPTS);
    try {
      ret = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
      if (ret < 0)
        throw new VideoException(file, "cannot read stream information: " + Ffmpeg.error(ret));
      int v = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (v < 0)
        throw new VideoException(
            file, "no video stream (" + ctx.iformat().name().getString() + " file)");
      int a = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, v, (AVCodec) null, 0);
      return new MediaInput(file, ctx, v, a >= 0 ? a : -1);
    } catch (RuntimeException e) {
      avformat_close_input(ctx);
      throw e;
    }
  }

  String file() {
    return file;
  }

  AVFormatContext context() {
    return ctx;
  }

  int videoStream() {
    return videoStream;
  }

  /** The audio stream index, or -1. */
  int audioStream() {
    return audioStream;
  }

  AVStream stream(int index) {
    return ctx.streams(index);
  }

  @Override
  public void close() {
    avformat_close_input(ctx);
  }
}
