package dev.viaspark.metrics;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
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
 * along. A pixel whose path was lost on the way, but whose last step is trusted, takes the edit the
 * previous frame showed there (one step's resampling); a pixel the last step cannot follow either
 * (uncovered by a moving shape) takes the edit of the nearby pixels of its own colour in the source
 * ({@link #fillFromNeighbours}). Either way the pixel shows the edit again and the next steps carry
 * it: without this, every pixel lost once kept the source for the rest of the chain, and the share
 * of the frame that was edited shrank with the distance from the guide.
 *
 * <p>{@link #ofMap} carries a map of one value per pixel the same way (a mask of the edited region,
 * {@link #nextMap}); its values are not added to the source.
 */
public final class MotionChain {
  private final int width;
  private final int height;
  static final int FILL_RADIUS = 4;
  static final double FILL_COLOUR_SIGMA = 16;

  /** Values per pixel: 3 for an edit, 1 for a map. */
  private final int channels;

  private final float[] difference;
  private float[] shown;
  private float[] offsets;
  private byte[] trusted;
  private VideoFrame current;

  /**
   * @param edited the edited frame
   * @param editedSource the source frame it was edited from, where the chain starts
   */
  public MotionChain(VideoFrame edited, VideoFrame editedSource) {
    this(3, differenceOf(edited, editedSource), editedSource);
  }

  /**
   * A chain that carries {@code map}, one value per pixel of {@code source} (row major), from
   * {@code source} on.
   */
  public static MotionChain ofMap(float[] map, VideoFrame source) {
    if (map.length != source.width() * source.height()) {
      throw new IllegalArgumentException(
          map.length + " values for a " + source.width() + "x" + source.height() + " frame");
    }
    return new MotionChain(1, map.clone(), source);
  }

  private MotionChain(int channels, float[] difference, VideoFrame source) {
    this.channels = channels;
    width = source.width();
    height = source.height();
    this.difference = difference;
    shown = difference.clone();
    offsets = new float[2 * width * height];
    trusted = new byte[width * height];
    Arrays.fill(trusted, (byte) 255);
    current = source;
  }

  private static float[] differenceOf(VideoFrame edited, VideoFrame source) {
    checkSize(edited, source.width(), source.height());
    byte[] e = edited.rgb(), s = source.rgb();
    float[] difference = new float[e.length];
    for (int i = 0; i < e.length; i++) difference[i] = (e[i] & 0xff) - (s[i] & 0xff);
    return difference;
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
    if (channels != 3) throw new IllegalStateException("a map's chain carries no edit");
    float[] edit = advance(next);
    byte[] src = next.rgb();
    byte[] out = src.clone();
    for (int c = 0; c < out.length; c++) {
      long v = Math.round((src[c] & 0xff) + edit[c]);
      out[c] = (byte) Math.max(0, Math.min(255, v));
      edit[c] = (out[c] & 0xff) - (src[c] & 0xff);
    }
    shown = edit;
    return next.withPixels(out);
  }

  /**
   * Moves a map's chain ({@link #ofMap}) on to {@code next}, the source frame after the one it has
   * reached, and returns the map carried onto it.
   */
  public float[] nextMap(VideoFrame next) {
    if (channels != 1) throw new IllegalStateException("an edit's chain carries no map");
    shown = advance(next);
    return shown.clone();
  }

  /** The values carried onto {@code next}, before an edit's are added to its source. */
  private float[] advance(VideoFrame next) {
    checkSize(next, width, height);
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
      int type = CV_32FC(channels);
      FloatBuffer moved =
          SourceMotion.warp(mat(difference, type, channels), composed).createBuffer();
      FloatBuffer stepped =
          SourceMotion.warp(mat(shown, type, channels), step.backwardFlow).createBuffer();
      float[] edit = new float[channels * width * height];
      boolean[] lost = new boolean[width * height];
      for (int p = 0; p < width * height; p++) {
        FloatBuffer from = t[p] != 0 ? moved : now.get(p) != 0 ? stepped : null;
        if (from == null) lost[p] = true;
        else for (int c = channels * p; c < channels * (p + 1); c++) edit[c] = from.get(c);
      }
      fillFromNeighbours(edit, channels, lost, next.rgb(), width, height);
      current = next;
      return edit;
    }
  }

  /**
   * Gives each lost pixel the mean edit of the pixels within {@link #FILL_RADIUS} that are not
   * lost, weighted by how alike their source colours are (a Gaussian of the RGB distance, sigma
   * {@link #FILL_COLOUR_SIGMA}), so that a background pixel uncovered beside a recoloured shape
   * takes the background's edit, not the shape's. A pixel with no such neighbour keeps no edit.
   *
   * @param channels the edit's values per pixel
   * @param source the source frame's RGB
   */
  static void fillFromNeighbours(
      float[] edit, int channels, boolean[] lost, byte[] source, int width, int height) {
    double twoSigmaSquared = 2 * FILL_COLOUR_SIGMA * FILL_COLOUR_SIGMA;
    float[] filled = edit.clone();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        if (!lost[p]) continue;
        double[] sum = new double[channels];
        double weights = 0;
        for (int qy = Math.max(0, y - FILL_RADIUS);
            qy <= Math.min(height - 1, y + FILL_RADIUS);
            qy++) {
          for (int qx = Math.max(0, x - FILL_RADIUS);
              qx <= Math.min(width - 1, x + FILL_RADIUS);
              qx++) {
            int q = qy * width + qx;
            if (lost[q]) continue;
            double d2 = 0;
            for (int c = 0; c < 3; c++) {
              int d = (source[3 * p + c] & 0xff) - (source[3 * q + c] & 0xff);
              d2 += d * d;
            }
            double w = Math.exp(-d2 / twoSigmaSquared);
            weights += w;
            for (int c = 0; c < channels; c++) sum[c] += w * edit[channels * q + c];
          }
        }
        if (weights < 1e-3) continue;
        for (int c = 0; c < channels; c++) filled[channels * p + c] = (float) (sum[c] / weights);
      }
    }
    System.arraycopy(filled, 0, edit, 0, edit.length);
  }

  private static void checkSize(VideoFrame f, int width, int height) {
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
