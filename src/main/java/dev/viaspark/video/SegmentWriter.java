package dev.viaspark.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2YUV_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.io.File;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encodes the edited frames of one segment into a video-only Matroska file. Encoders run without
 * B-frames, so that packets come out in presentation order, one per frame: the assembler gives
 * packet k the source timestamp of frame k. Frames come as RGB24 ({@link #write(VideoFrame)}) or,
 * when nothing edits the pixels, as decoded ({@link #write(DecodedFrame)}): a decoded frame already
 * in the encoder's pixel format is encoded as it is, with no colour conversion.
 */
public final class SegmentWriter implements AutoCloseable {
  private final File file;
  private final FFmpegFrameRecorder recorder;
  private final int width;
  private final int height;
  private int written;

  /**
   * Decoded frames that went through RGB24 because their pixel format or size was not the
   * encoder's.
   */
  private int converted;

  /**
   * Whether RGB frames go to the encoder as I420 converted by OpenCV (4:2:0 encoders, even sizes).
   */
  private final boolean stageI420;

  /**
   * RGB and I420 staging for OpenCV's SIMD colour conversion, 5x faster than swscale's RGB24 input
   * path; created on the first RGB frame (loading OpenCV's natives takes ~0.3 s, which a writer fed
   * decoded frames never needs).
   */
  private Mat rgbStage;

  private Mat yuvStage;

  /** The encoder's pixel format (AV_PIX_FMT_*). */
  private final int pixelFormat;

  /**
   * Contiguous staging for decoded frames in the encoder's pixel format (the recorder takes one
   * packed buffer).
   */
  private BytePointer passBuffer;

  private ByteBuffer passView;

  public SegmentWriter(File file, int width, int height, Rational fps, EncoderSettings settings) {
    this.file = file;
    this.width = width;
    this.height = height;
    OutputCodec codec = settings.codec();
    if (!codec.available()) {
      throw new VideoException(
          file.getPath(), "encoder " + codec.encoder() + " is not in the bundled FFmpeg");
    }
    int gop = (int) Math.round(fps.value() * settings.keyframeSeconds());
    pixelFormat = av_get_pix_fmt(codec.pixelFormat());
    recorder = VideoRecorders.create(file, width, height, 0, codec, fps, gop, settings.threads());
    recorder.setFormat("matroska");
    if (!codec.lossless())
      recorder.setVideoBitrate(settings.bitrateFor(width, height, fps.value()));
    if (codec == OutputCodec.FFV1) {
      recorder.setVideoOption("level", "3");
      recorder.setVideoOption("slicecrc", "1");
    }
    stageI420 = codec.pixelFormat().equals("yuv420p") && width % 2 == 0 && height % 2 == 0;
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      throw new VideoException(
          file.getPath(),
          "cannot start the "
              + codec.encoder()
              + " encoder at "
              + width
              + "x"
              + height
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public void write(VideoFrame f) {
    if (f.width() != width || f.height() != height) {
      throw new VideoException(
          file.getPath(),
          "frame "
              + f.index()
              + " is "
              + f.width()
              + "x"
              + f.height()
              + ", the segment is "
              + width
              + "x"
              + height
              + " (an editor must keep the frame size)");
    }
    try {
      if (stageI420) {
        if (yuvStage == null) {
          rgbStage = new Mat(height, width, CV_8UC3);
          yuvStage = new Mat(height * 3 / 2, width, CV_8UC1);
        }
        rgbStage.data().put(f.rgb());
        cvtColor(rgbStage, yuvStage, COLOR_RGB2YUV_I420);
        recorder.recordImage(
            width,
            height,
            Frame.DEPTH_UBYTE,
            1,
            width,
            AV_PIX_FMT_YUV420P,
            yuvStage.createBuffer());
      } else {
        recorder.recordImage(
            width,
            height,
            Frame.DEPTH_UBYTE,
            3,
            width * 3,
            AV_PIX_FMT_RGB24,
            ByteBuffer.wrap(f.rgb()));
      }
      written++;
    } catch (FrameRecorder.Exception e) {
      throw new VideoException(
          file.getPath(), "encoding frame " + f.index() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Encodes a frame as decoded: as it is when the decoder's pixel format and size are the encoder's
   * (no colour conversion; the YUV samples reach the encoder unchanged), else through RGB24 exactly
   * like {@link #write(VideoFrame)}.
   */
  public void write(DecodedFrame d) {
    AVFrame f = d.avFrame();
    if (f.format() != pixelFormat || f.width() != width || f.height() != height) {
      converted++;
      write(d.toRgb());
      return;
    }
    int size = av_image_get_buffer_size(pixelFormat, width, height, 1);
    if (passBuffer == null || passView.capacity() < size) {
      if (passBuffer != null) passBuffer.close();
      passBuffer = new BytePointer(size);
      passView = passBuffer.asByteBuffer();
    }
    Ffmpeg.check(
        av_image_copy_to_buffer(
            passBuffer, size, f.data(), f.linesize(), pixelFormat, width, height, 1),
        file.getPath(),
        "copying frame " + d.index());
    try {
      recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, pixelFormat, passView);
      written++;
    } catch (FrameRecorder.Exception e) {
      throw new VideoException(
          file.getPath(), "encoding frame " + d.index() + ": " + e.getMessage(), e);
    }
  }

  public int written() {
    return written;
  }

  /**
   * How many frames given as decoded were converted to RGB24 on the way (0 when all were encoded as
   * decoded).
   */
  int converted() {
    return converted;
  }

  @Override
  public void close() {
    try {
      recorder.stop();
      recorder.release();
      if (rgbStage != null) rgbStage.close();
      if (yuvStage != null) yuvStage.close();
      if (passBuffer != null) passBuffer.close();
    } catch (FrameRecorder.Exception e) {
      throw new VideoException(file.getPath(), "finishing the segment: " + e.getMessage(), e);
    }
    if (written > 0) checkComplete();
  }

  /**
   * FFmpeg's muxer drops write errors of its output file (a full disk) without telling JavaCV, so
   * the finished file is read back: a segment that holds fewer frames than were written must never
   * be published.
   */
  private void checkComplete() {
    int held;
    String unreadable = "";
    try (MediaInput in = MediaInput.open(file)) {
      held = PacketScan.scan(in).pts.length;
    } catch (VideoException e) {
      held = 0;
      unreadable = " (" + e.getMessage() + ")";
    }
    if (held != written) {
      File dir = file.getAbsoluteFile().getParentFile();
      throw new VideoException(
          file.getPath(),
          "the encoded segment holds "
              + held
              + " of the "
              + written
              + " frames written to it; its disk has "
              + dir.getUsableSpace() / (1024 * 1024)
              + " MiB free (a full disk loses writes)"
              + unreadable);
    }
  }
}
