package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BYTE;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.io.File;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * Frame-exact decoding of one segment: seeks to the segment's keyframe, decodes, drops frames
 * presented before it, and returns exactly {@code count} frames, numbered from {@code firstIndex}:
 * as RGB24 ({@link #next()}), or as decoded, in the stream's own pixel format ({@link
 * #nextDecoded()}), for a writer that needs no RGB.
 */
public final class SegmentReader implements AutoCloseable {
  private final MediaInput in;
  private final AVCodecContext decoder;
  private final AVPacket packet = av_packet_alloc();
  private final AVFrame frame = av_frame_alloc();
  private final RgbConverter converter = new RgbConverter();
  private final long startPts;
  private final int firstIndex;
  private final int count;
  private final DecodedFrame decoded = new DecodedFrame(this);
  private final int width;
  private final int height;
  private int returned;

  /** Whether {@link #frame} holds the picture last returned by {@link #nextDecoded()}. */
  private boolean holding;

  private boolean draining;
  private boolean finished;

  /**
   * How many times the reader sought earlier because a seek landed after the segment's keyframe.
   */
  private int reseeks;

  /**
   * @param startPts presentation timestamp of the segment's first frame (a keyframe, or frame 0)
   * @param firstIndex the video-wide index of that frame
   * @param count number of frames in the segment
   */
  public SegmentReader(File file, long startPts, int firstIndex, int count) {
    this.in = MediaInput.open(file);
    this.startPts = startPts;
    this.firstIndex = firstIndex;
    this.count = count;
    AVCodecContext ctx = null;
    try {
      for (int i = 0; i < in.context().nb_streams(); i++) {
        if (i != in.videoStream()) in.stream(i).discard(avcodec.AVDISCARD_ALL);
      }
      var par = in.stream(in.videoStream()).codecpar();
      width = par.width();
      height = par.height();
      AVCodec codec = avcodec_find_decoder(par.codec_id());
      if (codec == null) throw new VideoException(file.getPath(), "no decoder for its video codec");
      ctx = avcodec_alloc_context3(codec);
      Ffmpeg.check(avcodec_parameters_to_context(ctx, par), file.getPath(), "decoder setup");
      ctx.thread_count(1);
      Ffmpeg.check(
          avcodec_open2(ctx, codec, (AVDictionary) null), file.getPath(), "opening the decoder");
      if (firstIndex > 0) {
        Ffmpeg.check(
            av_seek_frame(in.context(), in.videoStream(), startPts, AVSEEK_FLAG_BACKWARD),
            file.getPath(),
            "seeking to frame " + firstIndex);
      }
    } catch (RuntimeException e) {
      if (ctx != null) avcodec_free_context(ctx);
      close(false);
      throw e;
    }
    this.decoder = ctx;
  }

  /** The next frame of the segment as RGB24, or null after the last one. */
  public VideoFrame next() {
    if (!advance()) return null;
    try {
      return converter.convert(frame, firstIndex + returned - 1);
    } finally {
      release();
    }
  }

  /**
   * The next frame of the segment as decoded, without a colour conversion, or null after the last
   * one. The returned object is a view of the reader's decoder output and is reused: it is valid
   * until the next call to {@link #next()}, {@code nextDecoded()} or {@link #close()}.
   */
  public DecodedFrame nextDecoded() {
    if (!advance()) return null;
    holding = true;
    decoded.index = firstIndex + returned - 1;
    return decoded;
  }

  /** RGB24 of the frame {@link #nextDecoded()} returned last (for {@link DecodedFrame#toRgb()}). */
  VideoFrame rgbOf(DecodedFrame f) {
    if (!holding || f != decoded)
      throw new IllegalStateException("frame " + f.index + " is no longer held");
    return converter.convert(frame, f.index);
  }

  AVFrame held(DecodedFrame f) {
    if (!holding || f != decoded)
      throw new IllegalStateException("frame " + f.index + " is no longer held");
    return frame;
  }

  private void release() {
    av_frame_unref(frame);
    holding = false;
  }

  /** Decodes up to the next frame of the segment into {@link #frame}; false after the last one. */
  private boolean advance() {
    if (holding) release();
    if (returned == count) return false;
    while (true) {
      int ret = avcodec_receive_frame(decoder, frame);
      if (ret >= 0) {
        long pts = frame.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE) pts = frame.pts();
        if (pts != AV_NOPTS_VALUE && pts < startPts) {
          av_frame_unref(frame);
          continue;
        }
        if (returned == 0 && firstIndex > 0 && pts != AV_NOPTS_VALUE && pts > startPts) {
          // the seek landed after the keyframe (MPEG-TS and -PS seek by byte estimates)
          av_frame_unref(frame);
          seekEarlier(pts);
          continue;
        }
        if (frame.width() != width || frame.height() != height) {
          throw new VideoException(
              in.file(),
              "the frame size changes mid-stream: frame "
                  + (firstIndex + returned)
                  + " is "
                  + frame.width()
                  + "x"
                  + frame.height()
                  + ", the video starts at "
                  + width
                  + "x"
                  + height
                  + " (viaspark edits one frame size per video: split the file where it changes)");
        }
        returned++;
        return true;
      }
      if ((ret == AVERROR_EOF || finished)
          && returned == 0
          && firstIndex > 0
          && reseeks <= MAX_RESEEKS) {
        // nothing decodable after the seek (it landed past the last keyframe): start earlier
        seekEarlier(AV_NOPTS_VALUE);
        continue;
      }
      if (ret == AVERROR_EOF || finished) {
        throw new VideoException(
            in.file(),
            "expected "
                + count
                + " frames from frame "
                + firstIndex
                + " but the stream ended after "
                + returned
                + " (truncated or corrupt)");
      }
      if (ret != AVERROR_EAGAIN())
        Ffmpeg.check(ret, in.file(), "decoding frame " + (firstIndex + returned));
      feed();
    }
  }

  /**
   * Seeks further back than last time (1 s, 2 s, 4 s, ... before the keyframe, then the start of
   * the file), so that decoding reaches the segment's first frame from before it.
   */
  private void seekEarlier(long landedAt) {
    if (reseeks > MAX_RESEEKS) {
      throw new VideoException(
          in.file(),
          "frame "
              + firstIndex
              + " (timestamp "
              + startPts
              + ") is not in the stream"
              + (landedAt == AV_NOPTS_VALUE
                  ? ""
                  : ": decoding from the start reaches " + landedAt + " first"));
    }
    avcodec_flush_buffers(decoder);
    draining = false;
    finished = false;
    AVRational tb = in.stream(in.videoStream()).time_base();
    long second = Math.max(1, (long) tb.den() / Math.max(1, tb.num()));
    int ret =
        reseeks == MAX_RESEEKS
            ? av_seek_frame(in.context(), -1, 0, AVSEEK_FLAG_BYTE)
            : av_seek_frame(
                in.context(),
                in.videoStream(),
                startPts - (second << reseeks),
                AVSEEK_FLAG_BACKWARD);
    reseeks++;
    Ffmpeg.check(ret, in.file(), "seeking before frame " + firstIndex);
  }

  private static final int MAX_RESEEKS = 8;

  private void feed() {
    if (draining) {
      finished = true;
      return;
    }
    while (true) {
      int ret = av_read_frame(in.context(), packet);
      if (ret == AVERROR_EOF) {
        draining = true;
        avcodec_send_packet(decoder, null);
        return;
      }
      Ffmpeg.check(ret, in.file(), "reading packets near frame " + (firstIndex + returned));
      try {
        if (packet.stream_index() != in.videoStream()) continue;
        int sent = avcodec_send_packet(decoder, packet);
        if (sent < 0 && sent != AVERROR_EAGAIN()) {
          throw new VideoException(
              in.file(),
              "corrupt video data near frame "
                  + (firstIndex + returned)
                  + ": "
                  + Ffmpeg.error(sent));
        }
        return;
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  private void close(boolean withDecoder) {
    holding = false;
    if (withDecoder) avcodec_free_context(decoder);
    av_packet_free(packet);
    av_frame_free(frame);
    converter.close();
    in.close();
  }

  @Override
  public void close() {
    close(true);
  }
}
