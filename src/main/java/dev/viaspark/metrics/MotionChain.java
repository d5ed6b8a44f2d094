package dev.viaspark.metrics;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.add;

import dev.viaspark.video.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An edit made on one frame, carried through the frames that follow it, one step per pair of
 * consecutive frames: each step's optical flow ({@link SourceMotion}) is small and followed well,
 * and the steps are composed into one displacement per pixel, from the current frame back to the
 * edited one, so that the edit is resampled once per frame rather than blurred by one resampling
 * per step. A pixel stays trusted while every step's forward-backward check trusts the path it came
 * along; where it is not, the frame keeps its own pixels ({@link MotionWarp}'s rule).
 */
public final class MotionChain {
  private final int width;
  private final int height;
  private final float[] difference;
  private float[] offsets;
  private byte[] trusted;
  private VideoFrame current;

  /**
   * @param edited the edited frame
   * @param editedSource the source frame it was edited from, where the chain starts
   */
  public MotionChain(VideoFrame edited, VideoFrame editedSource) {
    width = editedSource.width();
    height = editedSource.height();
    checkSize(edited);
    byte[] e = edited.rgb(), s = editedSource.rgb();
    difference = new float[e.length];
    for (int i = 0; i < e.length; i++) difference[i] = (e[i] & 0xff) - (s[i] & 0xff);
    offsets = new float[2 * width * height];
    trusted = new byte[width * height];
    Arrays.fill(trusted, (byte) 255);
    current = editedSource;
  }

  /** The index of the frame the chain has reached. */
  public int index() {
    return current.index();
  }

  /**
   * Moves the chain on to {@code next}, the source frame after the one it has reached, and returns
   * it with the edit carried onto it.
   */
  public VideoFrame next(VideoFrame next) {
    checkSize(next);
    try (PointerScope scope = new PointerScope()) {
      SourceMotion step =
          SourceMotion.between(Mats.gray(Mats.rgb(current)), Mats.gray(Mats.rgb(next)));
      Mat composed = new Mat();
      add(
          step.backwardFlow,
          SourceMotion.warp(mat(offsets, CV_32FC2, 2), step.backwardFlow),
          composed);
      Mat previouslyTrusted = SourceMotion.warp(bytes(trusted), step.backwardFlow);
      offsets = floats(composed, 2);
      ByteBuffer now = step.valid.createBuffer();
      ByteBuffer before = previouslyTrusted.createBuffer();
      byte[] t = new byte[width * height];
      for (int p = 0; p < t.length; p++) {
        // a bilinear sample of 255/0 is at least half trusted when most of its neighbours are
        t[p] = now.get(p) != 0 && (before.get(p) & 0xff) >= 128 ? (byte) 255 : 0;
      }
      trusted = t;
      FloatBuffer moved = SourceMotion.warp(mat(difference, CV_32FC3, 3), composed).createBuffer();
      byte[] src = next.rgb();
      byte[] out = src.clone();
      for (int p = 0; p < width * height; p++) {
        if (t[p] == 0) continue;
        for (int c = 3 * p; c < 3 * p + 3; c++) {
          long v = Math.round((src[c] & 0xff) + moved.get(c));
          out[c] = (byte) Math.max(0, Math.min(255, v));
        }
      }
      current = next;
      return next.withPixels(out);
    }
  }

  private void checkSize(VideoFrame f) {
    if (f.width() != width || f.height() != height) {
      throw new IllegalArgumentException(
          "frame "
              + f.index()
              + " is "
              + f.width()
              + "x"
              + f.height()
              + ", not "
              + width
              + "x"
              + height);
    }
  }

  private Mat mat(float[] values, int type, int channels) {
    Mat m = new Mat(height, width, type);
    FloatBuffer b = m.createBuffer();
    b.put(values, 0, width * height * channels);
    return m;
  }

  private Mat bytes(byte[] values) {
    Mat m = new Mat(height, width, CV_8UC1);
    ByteBuffer b = m.createBuffer();
    b.put(values);
    return m;
  }

  private float[] floats(Mat m, int channels) {
    float[] out = new float[width * height * channels];
    FloatBuffer b = m.createBuffer();
    b.get(out);
    return out;
  }
}
