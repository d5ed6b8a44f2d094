package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_NORMAL;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;

import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;

/**
 * Chooses the output container: the input's own where it can hold the output video codec and the
 * copied audio, else Matroska for ffv1 and MP4 for the rest (Matroska again when MP4 cannot hold
 * the audio).
 *
 * @param extension file name extension without the dot, e.g. {@code mp4}
 * @param muxer FFmpeg muxer name, e.g. {@code mp4}, {@code matroska}
 */
public record OutputContainer(String extension, String muxer) {
  public static OutputContainer choose(String inputName, OutputCodec codec, String audioCodec) {
    Ffmpeg.init();
    String ext = extension(inputName);
    if (!ext.isEmpty() && holds(ext, codec, audioCodec))
      return new OutputContainer(ext, muxer(ext));
    if (codec != OutputCodec.FFV1 && holds("mp4", codec, audioCodec))
      return new OutputContainer("mp4", "mp4");
    return new OutputContainer("mkv", "matroska");
  }

  static String extension(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    return dot <= 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String muxer(String ext) {
    AVOutputFormat f = av_guess_format(null, "x." + ext, null);
    return f.name().getString();
  }

  private static boolean holds(String ext, OutputCodec codec, String audioCodec) {
    AVOutputFormat f = av_guess_format(null, "x." + ext, null);
    if (f == null || f.isNull()) return false;
    String name = f.name().getString();
    // Containers whose codec support FFmpeg cannot answer for, or that cannot be concatenated into:
    // keep to the safe set.
    if (!(name.equals("mp4")
        || name.equals("mov")
        || name.equals("matroska")
        || name.equals("webm")
        || name.equals("avi")
        || name.equals("nut"))) {
      return false;
    }
    if (codec == OutputCodec.FFV1 && !name.equals("matroska")) return false;
    // AVI has no proper way to carry H.264 (FFmpeg writes it, and then fails on the audio packets)
    boolean h264 = codec == OutputCodec.H264 || codec == OutputCodec.LIBX264;
    if (h264 && name.equals("avi")) return false;
    AVCodec video = avcodec_find_encoder_by_name(codec.encoder());
    if (video == null || avformat_query_codec(f, video.id(), FF_COMPLIANCE_NORMAL) != 1)
      return false;
    if (audioCodec == null) return true;
    AVCodec audio = avcodec_find_decoder_by_name(audioCodec);
    return audio != null && avformat_query_codec(f, audio.id(), FF_COMPLIANCE_NORMAL) == 1;
  }
}
