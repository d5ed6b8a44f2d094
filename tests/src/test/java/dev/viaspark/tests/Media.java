package dev.viaspark.tests;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.Rational;
import dev.viaspark.video.SegmentReader;
import dev.viaspark.video.VideoFrame;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Independent checks on video files: packet timestamps (read here, not through viaspark) and
 * decoded pixels.
 */
final class Media {
  private Media() {}

  /** Presentation timestamps of every video packet, ascending, and the stream's time base. */
  record Timing(long[] pts, Rational timeBase) {
    double seconds(int i) {
      return (pts[i] - pts[0]) * timeBase.value();
    }
  }

  static Timing videoTiming(File f) {
    VideoProbe.probe(
        f); // loads FFmpeg quietly (viaspark sets the log level) and fails clearly on a broken file
    AVFormatContext ctx = new AVFormatContext(null);
    int ret = avformat_open_input(ctx, f.getPath(), (AVInputFormat) null, (AVDictionary) null);
    if (ret < 0) throw new AssertionError(f + ": cannot open (" + ret + ")");
    AVPacket pkt = av_packet_alloc();
    try {
      if (avformat_find_stream_info(ctx, (PointerPointer<?>) null) < 0)
        throw new AssertionError(f + ": no stream info");
      int v = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (v < 0) throw new AssertionError(f + ": no video stream");
      AVStream s = ctx.streams(v);
      List<Long> pts = new ArrayList<>();
      while (av_read_frame(ctx, pkt) >= 0) {
        if (pkt.stream_index() == v) pts.add(pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts());
        av_packet_unref(pkt);
      }
      long[] a = pts.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(a);
      return new Timing(a, new Rational(s.time_base().num(), s.time_base().den()));
    } finally {
      av_packet_free(pkt);
      avformat_close_input(ctx);
    }
  }

  /**
   * Per-frame timestamps relative to the first frame, equal within the coarser time base's
   * rounding.
   */
  static void assertTimestampsEqual(File expected, File actual) {
    Timing a = videoTiming(expected), b = videoTiming(actual);
    assertEquals(a.pts().length, b.pts().length, "frame count of " + actual.getName());
    double tolerance = Math.max(a.timeBase().value(), b.timeBase().value());
    for (int i = 0; i < a.pts().length; i++) {
      assertEquals(
          a.seconds(i),
          b.seconds(i),
          tolerance + 1e-9,
          actual.getName() + ": timestamp of frame " + i);
    }
  }

  /** Decodes every frame of a video to RGB24 and hashes each frame (SHA-256 of its RGB bytes). */
  static List<String> frameHashes(File f) {
    VideoInfo info = VideoProbe.probe(f);
    List<String> hashes = new ArrayList<>(info.frameCount());
    try (SegmentReader r = new SegmentReader(f, info.firstPts(), 0, info.frameCount())) {
      for (int i = 0; i < info.frameCount(); i++) {
        VideoFrame fr = r.next();
        assertNotNull(fr, f.getName() + ": frame " + i);
        assertEquals(info.width() * info.height() * 3, fr.rgb().length);
        hashes.add(sha256(fr.rgb()));
      }
      assertNull(r.next(), f.getName() + ": more frames than probed");
    }
    return hashes;
  }

  /**
   * Every decoded frame of {@code actual} has exactly the RGB bytes of the same frame of {@code
   * expected}.
   */
  static void assertSamePixels(File expected, File actual) {
    VideoInfo a = VideoProbe.probe(expected), b = VideoProbe.probe(actual);
    assertEquals(a.frameCount(), b.frameCount(), "frame count");
    try (SegmentReader ra = new SegmentReader(expected, a.firstPts(), 0, a.frameCount());
        SegmentReader rb = new SegmentReader(actual, b.firstPts(), 0, b.frameCount())) {
      for (int i = 0; i < a.frameCount(); i++) {
        VideoFrame fa = ra.next(), fb = rb.next();
        assertEquals(fa.width(), fb.width());
        assertEquals(fa.height(), fb.height());
        assertArrayEquals(
            fa.rgb(),
            fb.rgb(),
            actual.getName() + ": RGB of frame " + i + " differs from the input's");
      }
    }
  }

  /** The first frame of a video, as RGB24. */
  /** Every frame of a video, decoded in order. */
  static List<VideoFrame> frames(File video) {
    VideoInfo info = VideoProbe.probe(video);
    List<VideoFrame> out = new ArrayList<>();
    try (SegmentReader r = new SegmentReader(video, info.firstPts(), 0, info.frameCount())) {
      for (int i = 0; i < info.frameCount(); i++) out.add(r.next());
    }
    return out;
  }

  static byte[] firstFrame(File f) {
    VideoInfo info = VideoProbe.probe(f);
    try (SegmentReader r = new SegmentReader(f, info.firstPts(), 0, 1)) {
      return r.next().rgb();
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mean absolute difference per byte between two equally sized frames. */
  static double meanAbsDiff(byte[] a, byte[] b) {
    assertEquals(a.length, b.length);
    long sum = 0;
    for (int i = 0; i < a.length; i++) sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    return sum / (double) a.length;
  }

  /** Peak signal-to-noise ratio in dB between two equally sized frames (8-bit samples). */
  static double psnr(byte[] a, byte[] b) {
    assertEquals(a.length, b.length);
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xff) - (b[i] & 0xff);
      se += d * d;
    }
    return 10 * Math.log10(255.0 * 255.0 / Math.max(se / a.length, 1e-12));
  }

  static void assertContains(String text, String... parts) {
    for (String p : parts)
      assertTrue(text != null && text.contains(p), "expected '" + p + "' in: " + text);
  }
}
