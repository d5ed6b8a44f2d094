package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Reads every packet of a video stream without decoding, and returns the frame timestamps in
 * presentation order and which frames are keyframes. This is the probe's keyframe index and the
 * assembler's timestamp source.
 */
final class PacketScan {
  /** Presentation timestamps of all frames, ascending (stream time base). */
  final long[] pts;

  /** Indices into {@link #pts} of keyframes, ascending. */
  final int[] keyframes;

  /**
   * First and end (last pts + duration) timestamps of the audio stream, in its time base; 0 when
   * there is none.
   */
  final long audioStart;

  final long audioEnd;

  private PacketScan(long[] pts, int[] keyframes, long audioStart, long audioEnd) {
    this.pts = pts;
    this.keyframes = keyframes;
    this.audioStart = audioStart;
    this.audioEnd = audioEnd;
  }

  static PacketScan scan(MediaInput in) {
    int vs = in.videoStream();
    long[] pts = new long[1024];
    boolean[] key = new boolean[1024];
    int n = 0;
    int as = in.audioStream();
    long audioStart = Long.MAX_VALUE, audioEnd = Long.MIN_VALUE;
    AVPacket pkt = av_packet_alloc();
    try {
      int ret;
      while ((ret = av_read_frame(in.context(), pkt)) >= 0) {
        if (pkt.stream_index() == vs) {
          long t = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
          if (t == AV_NOPTS_VALUE) t = n == 0 ? 0 : pts[n - 1] + 1;
          if (n == pts.length) {
            pts = Arrays.copyOf(pts, n * 2);
            key = Arrays.copyOf(key, n * 2);
          }
          pts[n] = t;
          key[n] = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
          n++;
        } else if (pkt.stream_index() == as && pkt.pts() != AV_NOPTS_VALUE) {
          audioStart = Math.min(audioStart, pkt.pts());
          audioEnd = Math.max(audioEnd, pkt.pts() + pkt.duration());
        }
        av_packet_unref(pkt);
      }
      if (ret != AVERROR_EOF) {
        throw new VideoException(
            in.file(), "corrupt or truncated after " + n + " video packets: " + Ffmpeg.error(ret));
      }
    } finally {
      av_packet_free(pkt);
    }
    if (n == 0) throw new VideoException(in.file(), "the video stream has no frames");
    long[] keyPts = new long[n];
    int k = 0;
    for (int i = 0; i < n; i++) if (key[i]) keyPts[k++] = pts[i];
    long[] sorted = Arrays.copyOf(pts, n);
    Arrays.sort(sorted);
    for (int i = 1; i < n; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new VideoException(
            in.file(), "two video frames share the timestamp " + sorted[i] + " (broken stream)");
      }
    }
    int[] keyIdx = new int[k];
    for (int i = 0; i < k; i++) keyIdx[i] = Arrays.binarySearch(sorted, keyPts[i]);
    Arrays.sort(keyIdx);
    if (audioStart == Long.MAX_VALUE) audioStart = audioEnd = 0;
    return new PacketScan(sorted, keyIdx, audioStart, audioEnd);
  }
}
