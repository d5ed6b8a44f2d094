package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_NORMAL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_new;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.io.File;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The assemble stage: joins the encoded segments of a video in order and muxes them with the
 * source's audio tracks, copied packet for packet (never re-encoded). Video packet k gets the
 * source's presentation timestamp of frame k, in the source's time base, so fps, timebase, frame
 * count and A/V sync are those of the source; the source's display matrix (rotation) is carried
 * over.
 */
public final class Assembler {
  private Assembler() {}

  /**
   * @param source the original video (for its frame timestamps, audio and rotation)
   * @param segments the encoded segments, in order, together holding every frame of the source
   * @param output the file to write (its folder must exist)
   * @param container an FFmpeg muxer name, e.g. {@code mp4}, {@code matroska}
   * @return the number of video frames written
   */
  public static int assemble(File source, List<File> segments, File output, String container) {
    Ffmpeg.init();
    long[] pts = VideoProbe.framePts(source);
    String out = output.getPath();
    try (MediaInput src = MediaInput.open(source)) {
      AVFormatContext octx = new AVFormatContext(null);
      Ffmpeg.check(
          avformat_alloc_output_context2(octx, (AVOutputFormat) null, container, out),
          out,
          "creating a " + container + " file");
      AVPacket pkt = av_packet_alloc();
      MediaInput seg = null;
      try {
        AVStream srcVideo = src.stream(src.videoStream());
        AVRational srcTb = srcVideo.time_base();
        seg = MediaInput.open(segments.get(0));
        AVStream vOut = avformat_new_stream(octx, (AVCodec) null);
        Ffmpeg.check(
            avcodec_parameters_copy(vOut.codecpar(), seg.stream(seg.videoStream()).codecpar()),
            out,
            "copying video parameters");
        vOut.codecpar().codec_tag(0);
        vOut.time_base(srcTb);
        vOut.avg_frame_rate(srcVideo.avg_frame_rate());
        vOut.r_frame_rate(srcVideo.r_frame_rate());
        copyDisplayMatrix(srcVideo, vOut);
        // every audio track the container takes, in source order (the probed one always)
        AVStream[] audioOut = new AVStream[src.context().nb_streams()];
        for (int i = 0; i < src.context().nb_streams(); i++) {
          AVStream a = src.stream(i);
          boolean copied =
              i == src.audioStream()
                  || a.codecpar().codec_type() == AVMEDIA_TYPE_AUDIO
                      && avformat_query_codec(
                              octx.oformat(), a.codecpar().codec_id(), FF_COMPLIANCE_NORMAL)
                          == 1;
          if (!copied) {
            a.discard(AVDISCARD_ALL);
            continue;
          }
          AVStream aOut = avformat_new_stream(octx, (AVCodec) null);
          Ffmpeg.check(
              avcodec_parameters_copy(aOut.codecpar(), a.codecpar()),
              out,
              "copying audio parameters of stream " + i);
          aOut.codecpar().codec_tag(0);
          aOut.time_base(a.time_base());
          copyMetadata(a, aOut); // language, title
          aOut.disposition(a.disposition());
          audioOut[i] = aOut;
        }
        if ((octx.oformat().flags() & AVFMT_NOFILE) == 0) {
          AVIOContext pb = new AVIOContext(null);
          Ffmpeg.check(avio_open(pb, out, AVIO_FLAG_WRITE), out, "opening for writing");
          octx.pb(pb);
        }
        AVDictionary opts = new AVDictionary(null);
        if (container.equals("mp4") || container.equals("mov"))
          av_dict_set(opts, "movflags", "+faststart", 0);
        try {
          Ffmpeg.check(
              avformat_write_header(octx, opts), out, "writing the " + container + " header");
        } finally {
          av_dict_free(opts);
        }

        long frameDur = pts.length > 1 ? (pts[pts.length - 1] - pts[0]) / (pts.length - 1) : 1;
        int segIndex = 0;
        int frame = 0;
        boolean videoDone = false;
        boolean audioDone = src.audioStream() < 0;
        AVPacket audio = av_packet_alloc();
        boolean haveAudio = false;
        try {
          while (!videoDone || !audioDone) {
            if (!audioDone && !haveAudio) {
              haveAudio = readAudio(src, audio);
              if (!haveAudio) {
                audioDone = true;
                continue;
              }
            }
            if (!videoDone && !pktReady(pkt)) {
              while (true) {
                int ret = av_read_frame(seg.context(), pkt);
                if (ret == AVERROR_EOF) {
                  seg.close();
                  seg = null;
                  if (++segIndex == segments.size()) break;
                  seg = MediaInput.open(segments.get(segIndex));
                  continue;
                }
                Ffmpeg.check(ret, segments.get(segIndex).getPath(), "reading segment packets");
                if (pkt.stream_index() == seg.videoStream()) break;
                av_packet_unref(pkt);
              }
              if (seg == null) {
                videoDone = true;
                continue;
              }
              if (frame >= pts.length) {
                throw new VideoException(
                    out, "the segments hold more frames than the source's " + pts.length);
              }
              pkt.pts(pts[frame]);
              pkt.dts(pts[frame]);
              pkt.duration(frame + 1 < pts.length ? pts[frame + 1] - pts[frame] : frameDur);
              pkt.stream_index(0);
              pkt.pos(-1);
              av_packet_rescale_ts(pkt, srcTb, vOut.time_base());
              frame++;
            }
            AVRational aTb = audioDone ? null : src.stream(audio.stream_index()).time_base();
            boolean writeVideo =
                !videoDone
                    && (audioDone
                        || av_compare_ts(pkt.dts(), vOut.time_base(), audio.dts(), aTb) <= 0);
            if (writeVideo) {
              Ffmpeg.check(
                  av_interleaved_write_frame(octx, pkt), out, "writing video frame " + (frame - 1));
            } else if (!audioDone) {
              AVStream aOut = audioOut[audio.stream_index()];
              av_packet_rescale_ts(audio, aTb, aOut.time_base());
              audio.stream_index(aOut.index());
              audio.pos(-1);
              Ffmpeg.check(av_interleaved_write_frame(octx, audio), out, "writing audio");
              haveAudio = false;
            }
          }
        } finally {
          av_packet_free(audio);
        }
        if (frame != pts.length) {
          throw new VideoException(
              out, "the segments hold " + frame + " frames, the source " + pts.length);
        }
        Ffmpeg.check(av_write_trailer(octx), out, "finishing the file");
        return frame;
      } finally {
        if (seg != null) seg.close();
        av_packet_free(pkt);
        if ((octx.oformat().flags() & AVFMT_NOFILE) == 0 && octx.pb() != null)
          avio_closep(octx.pb());
        avformat_free_context(octx);
      }
    }
  }

  /**
   * A packet is pending when it holds data not yet written (av_interleaved_write_frame leaves it
   * blank).
   */
  private static boolean pktReady(AVPacket pkt) {
    return pkt.size() > 0 || pkt.data() != null && !pkt.data().isNull();
  }

  private static void copyMetadata(AVStream from, AVStream to) {
    try (PointerPointer<AVDictionary> copy = new PointerPointer<>(1)) {
      copy.put(0, to.metadata());
      av_dict_copy(copy, from.metadata(), 0);
      to.metadata(new AVDictionary(copy.get(0)));
    }
  }

  /** The next packet of a copied audio stream, false at the end of the file. */
  private static boolean readAudio(MediaInput src, AVPacket audio) {
    while (true) {
      int ret = av_read_frame(src.context(), audio);
      if (ret == AVERROR_EOF) return false;
      Ffmpeg.check(ret, src.file(), "reading audio packets");
      if (src.stream(audio.stream_index()).discard() != AVDISCARD_ALL) {
        if (audio.dts() == AV_NOPTS_VALUE) audio.dts(audio.pts());
        return true;
      }
      av_packet_unref(audio);
    }
  }

  private static void copyDisplayMatrix(AVStream from, AVStream to) {
    var p = from.codecpar();
    AVPacketSideData sd =
        org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get(
            p.coded_side_data(), p.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
    if (sd == null || sd.isNull()) return;
    var q = to.codecpar();
    try (IntPointer count = new IntPointer(1).put(q.nb_coded_side_data());
        PointerPointer<AVPacketSideData> array = new PointerPointer<>(1)) {
      array.put(0, q.coded_side_data());
      AVPacketSideData created =
          av_packet_side_data_new(array, count, AV_PKT_DATA_DISPLAYMATRIX, sd.size(), 0);
      if (created == null || created.isNull()) return;
      q.coded_side_data(new AVPacketSideData(array.get(0)));
      q.nb_coded_side_data(count.get());
      created.data().position(0).put(sd.data().position(0).limit(sd.size()));
    }
  }
}
