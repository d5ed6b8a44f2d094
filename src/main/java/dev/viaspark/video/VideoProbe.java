package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * The probe stage for one file: container metadata plus a packet scan for keyframes (no frame is
 * decoded).
 */
public final class VideoProbe {
  private VideoProbe() {}

  public static VideoInfo probe(File file) {
    try (MediaInput in = MediaInput.open(file)) {
      AVStream vs = in.stream(in.videoStream());
      AVCodecParameters vp = vs.codecpar();
      if (vp.width() <= 0 || vp.height() <= 0) {
        throw new VideoException(
            in.file(),
            "the video stream has no frame size (unsupported or broken codec "
                + avcodec_get_name(vp.codec_id()).getString()
                + ")");
      }
      if (avcodec_find_decoder(vp.codec_id()) == null) {
        throw new VideoException(
            in.file(),
            "unsupported video codec "
                + avcodec_get_name(vp.codec_id()).getString()
                + ": the bundled FFmpeg has no decoder for it");
      }
      String audioCodec = null;
      int rate = 0, channels = 0;
      double audioSeconds = 0;
      List<String> streams = new ArrayList<>();
      for (int i = 0; i < in.context().nb_streams(); i++) {
        AVStream s = in.stream(i);
        AVCodecParameters p = s.codecpar();
        BytePointer type = av_get_media_type_string(p.codec_type());
        streams.add(
            "#"
                + i
                + " "
                + (type == null ? "unknown" : type.getString())
                + " "
                + avcodec_get_name(p.codec_id()).getString()
                + " timebase "
                + s.time_base().num()
                + "/"
                + s.time_base().den()
                + (i == in.videoStream()
                    ? " (video used)"
                    : i == in.audioStream() ? " (audio copied)" : ""));
      }
      PacketScan scan = PacketScan.scan(in);
      if (in.audioStream() >= 0) {
        audioSeconds =
            (scan.audioEnd - scan.audioStart)
                * rational(in.stream(in.audioStream()).time_base()).value();
      }
      long declared = vs.nb_frames();
      if (indexesEveryFrame(in) && declared > 0 && scan.pts.length < declared) {
        throw new VideoException(
            in.file(),
            "truncated: the container declares "
                + declared
                + " video frames but only "
                + scan.pts.length
                + " are present");
      }
      Rational fps = rational(vs.avg_frame_rate());
      if (fps.num() <= 0) fps = rational(vs.r_frame_rate());
      if (fps.num() <= 0) throw new VideoException(in.file(), "the video stream has no frame rate");
      Rational tb = rational(vs.time_base());
      long[] keyPts = new long[scan.keyframes.length];
      for (int i = 0; i < keyPts.length; i++) keyPts[i] = scan.pts[scan.keyframes[i]];
      int[] matrix = displayMatrix(vp);
      int rotation = matrix == null ? 0 : (int) Math.round(av_display_rotation_get(matrix));

      if (in.audioStream() >= 0) {
        AVStream as = in.stream(in.audioStream());
        AVCodecParameters ap = as.codecpar();
        audioCodec = avcodec_get_name(ap.codec_id()).getString();
        rate = ap.sample_rate();
        channels = ap.ch_layout().nb_channels();
      }
      long dur = in.context().duration();
      double seconds =
          dur != AV_NOPTS_VALUE && dur > 0
              ? (double) dur / AV_TIME_BASE
              : scan.pts.length / fps.value();
      return new VideoInfo(
          in.file(),
          in.context().iformat().name().getString(),
          seconds,
          avcodec_get_name(vp.codec_id()).getString(),
          vp.width(),
          vp.height(),
          fps,
          tb,
          scan.pts.length,
          scan.pts[0],
          scan.keyframes,
          keyPts,
          rotation,
          matrix,
          audioCodec,
          rate,
          channels,
          audioSeconds,
          streams,
          declared,
          bitDepth(vp.format()));
    }
  }

  /**
   * Whether the container's index lists every frame (MP4, MOV), so that a frame it lists but the
   * file does not hold is missing data; elsewhere (AVI, Matroska, ...) the count is a header field
   * a muxer may get wrong.
   */
  private static boolean indexesEveryFrame(MediaInput in) {
    return in.context().iformat().name().getString().startsWith("mov,");
  }

  /** Per-frame presentation timestamps, ascending, in the video stream's time base. */
  static long[] framePts(File file) {
    try (MediaInput in = MediaInput.open(file)) {
      return PacketScan.scan(in).pts;
    }
  }

  /** Bits per component of a pixel format; 8 when FFmpeg does not know the format. */
  private static int bitDepth(int pixelFormat) {
    AVPixFmtDescriptor d = av_pix_fmt_desc_get(pixelFormat);
    return d == null || d.isNull() || d.nb_components() == 0 ? 8 : d.comp(0).depth();
  }

  private static int[] displayMatrix(AVCodecParameters p) {
    AVPacketSideData sd =
        av_packet_side_data_get(
            p.coded_side_data(), p.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
    if (sd == null || sd.isNull() || sd.size() < 36) return null;
    int[] m = new int[9];
    new IntPointer(sd.data()).get(m);
    return m;
  }

  static Rational rational(AVRational r) {
    return r.den() == 0 ? new Rational(0, 1) : new Rational(r.num(), r.den());
  }
}
