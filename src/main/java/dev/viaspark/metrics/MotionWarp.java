package dev.viaspark.metrics;

import static org.bytedeco.opencv.global.opencv_core.subtract;

import dev.viaspark.video.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Carries an edit made on one frame of a video to another frame along the source's own motion: the
 * edit's difference (edited minus source, per pixel) is moved by the optical flow between the two
 * source frames ({@link SourceMotion}: Farneback, with the forward-backward check) and added to the
 * other frame. Where the motion is not trusted (content the edited frame does not show, frame
 * borders) the other frame stays as it is. This is a coarse propagation: what the edited frame does
 * not show cannot be carried.
 */
public final class MotionWarp {
  private MotionWarp() {}

  /**
   * @param edited the edited frame
   * @param editedSource the source frame it was edited from
   * @param source the frame to carry the edit to, same size
   * @return {@code source} with the edit carried onto it, same index
   */
  public static VideoFrame carry(VideoFrame edited, VideoFrame editedSource, VideoFrame source) {
    int w = source.width(), h = source.height();
    for (VideoFrame f : new VideoFrame[] {edited, editedSource}) {
      if (f.width() != w || f.height() != h) {
        throw new IllegalArgumentException(
            "frame " + f.index() + " is " + f.width() + "x" + f.height() + ", not " + w + "x" + h);
      }
    }
    if (edited.index() == source.index()) return source.withPixels(edited.rgb().clone());
    try (PointerScope scope = new PointerScope()) {
      Mat from = Mats.rgb(editedSource);
      Mat to = Mats.rgb(source);
      SourceMotion motion = SourceMotion.between(Mats.gray(from), Mats.gray(to));
      Mat difference = new Mat();
      subtract(Mats.floats(Mats.rgb(edited)), Mats.floats(from), difference);
      FloatBuffer moved = SourceMotion.warp(difference, motion.backwardFlow).createBuffer();
      ByteBuffer valid = motion.valid.createBuffer();
      byte[] src = source.rgb();
      byte[] out = src.clone();
      for (int p = 0; p < w * h; p++) {
        if (valid.get(p) == 0) continue;
        for (int c = 3 * p; c < 3 * p + 3; c++) {
          long v = Math.round((src[c] & 0xff) + moved.get(c));
          out[c] = (byte) Math.max(0, Math.min(255, v));
        }
      }
      return source.withPixels(out);
    }
  }
}
