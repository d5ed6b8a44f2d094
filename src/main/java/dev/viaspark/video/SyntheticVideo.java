package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.util.function.IntFunction;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Generates test and demo videos: a gradient background, a moving and growing square and a bouncing
 * disc, with an optional sine-tone AAC track, a keyframe every {@code gopFrames} frames and
 * optional rotation metadata. The same settings always give the same pixels. {@link #pictures}
 * replaces the animation with any deterministic one.
 */
public final class SyntheticVideo {
  private int width = 320;
  private int height = 240;
  private Rational fps = new Rational(25, 1);
  private int frames = 250;
  private int gopFrames = 50;
  private OutputCodec codec = OutputCodec.H264;
  private String format = null;
  private boolean audio = true;
  private int sampleRate = 44100;
  private int rotation = 0;
  private IntFunction<byte[]> pictures = null;

  /**
   * Frame i's packed RGB24 pixels ({@code width x height x 3} bytes) come from {@code pictures}
   * instead.
   */
  public SyntheticVideo pictures(IntFunction<byte[]> pictures) {
    this.pictures = pictures;
    return this;
  }

  public SyntheticVideo size(int w, int h) {
    width = w;
    height = h;
    return this;
  }

  public SyntheticVideo fps(int num, int den) {
    fps = new Rational(num, den);
    return this;
  }

  public SyntheticVideo frames(int n) {
    frames = n;
    return this;
  }

  public SyntheticVideo seconds(double s) {
    frames = (int) Math.round(s * fps.value());
    return this;
  }

  public SyntheticVideo gop(int n) {
    gopFrames = n;
    return this;
  }

  public SyntheticVideo codec(OutputCodec c) {
    codec = c;
    return this;
  }

  /** FFmpeg muxer name; by default guessed from the file name. */
  public SyntheticVideo format(String f) {
    format = f;
    return this;
  }

  public SyntheticVideo audio(boolean a) {
    audio = a;
    return this;
  }

  /** Display rotation in degrees, as phones write it. */
  public SyntheticVideo rotation(int degrees) {
    rotation = degrees;
    return this;
  }

  public File write(File out) {
    FFmpegFrameRecorder r =
        VideoRecorders.create(out, width, height, audio ? 2 : 0, codec, fps, gopFrames, 1);
    if (format != null) r.setFormat(format);
    r.setVideoBitrate(Math.max(200_000, width * height * 4));
    if (rotation != 0) r.setDisplayRotation(rotation);
    if (audio) {
      r.setAudioCodec(AV_CODEC_ID_AAC);
      r.setSampleRate(sampleRate);
      r.setAudioBitrate(96_000);
    }
    try {
      r.start();
      byte[] rgb = new byte[width * height * 3];
      long samplesWritten = 0;
      for (int i = 0; i < frames; i++) {
        paint(rgb, i);
        r.recordImage(
            width, height, Frame.DEPTH_UBYTE, 3, width * 3, AV_PIX_FMT_RGB24, ByteBuffer.wrap(rgb));
        if (audio) {
          long until = Math.round((i + 1) / fps.value() * sampleRate);
          int n = (int) (until - samplesWritten);
          short[] pcm = new short[n * 2];
          for (int s = 0; s < n; s++) {
            double t = (samplesWritten + s) / (double) sampleRate;
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * t));
            pcm[2 * s] = v;
            pcm[2 * s + 1] = v;
          }
          r.recordSamples(sampleRate, 2, ShortBuffer.wrap(pcm));
          samplesWritten = until;
        }
      }
      r.stop();
      r.release();
    } catch (FrameRecorder.Exception e) {
      throw new VideoException(
          out.getPath(), "cannot write the sample video: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Frame i of the animation as packed RGB24 (for tests that feed editors without a video file).
   */
  public byte[] frameRgb(int i) {
    byte[] rgb = new byte[width * height * 3];
    paint(rgb, i);
    return rgb;
  }

  /** Frame i of the animation, as RGB24. */
  void paint(byte[] rgb, int i) {
    if (pictures != null) {
      byte[] picture = pictures.apply(i);
      if (picture.length != rgb.length) {
        throw new IllegalArgumentException(
            "picture "
                + i
                + " has "
                + picture.length
                + " bytes, "
                + width
                + "x"
                + height
                + " RGB needs "
                + rgb.length);
      }
      System.arraycopy(picture, 0, rgb, 0, rgb.length);
      return;
    }
    double t = i / fps.value();
    int sq = (int) (Math.min(width, height) * (0.15 + 0.05 * Math.sin(t)));
    int sx = (int) ((width - sq) * (0.5 + 0.45 * Math.sin(t * 0.9)));
    int sy = (int) ((height - sq) * (0.5 + 0.4 * Math.cos(t * 0.7)));
    double cr = Math.min(width, height) * 0.1;
    double cx = width * (0.5 + 0.4 * Math.cos(t * 1.3));
    double cy = height * (0.5 + 0.4 * Math.sin(t * 1.7));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = (y * width + x) * 3;
        int r = 40 + 120 * x / Math.max(1, width - 1);
        int g = 60 + 100 * y / Math.max(1, height - 1);
        int b = 140 + (int) (60 * Math.sin(t * 0.5));
        if (x >= sx && x < sx + sq && y >= sy && y < sy + sq) {
          r = 230;
          g = 40;
          b = 40;
        }
        double dx = x - cx, dy = y - cy;
        if (dx * dx + dy * dy <= cr * cr) {
          r = 250;
          g = 220;
          b = 60;
        }
        rgb[p] = (byte) r;
        rgb[p + 1] = (byte) g;
        rgb[p + 2] = (byte) b;
      }
    }
  }
}
