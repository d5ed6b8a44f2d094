package dev.viaspark.edit.opencv;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.transform;
import static org.bytedeco.opencv.global.opencv_imgproc.ADAPTIVE_THRESH_MEAN_C;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.adaptiveThreshold;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.medianBlur;
import static org.bytedeco.opencv.global.opencv_photo.RECURS_FILTER;
import static org.bytedeco.opencv.global.opencv_photo.edgePreservingFilter;
import static org.bytedeco.opencv.global.opencv_photo.pencilSketch;
import static org.bytedeco.opencv.global.opencv_photo.stylization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditorProvider;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Classical, deterministic OpenCV frame editors (CPU only): {@code opencv:grayscale}, {@code
 * opencv:sepia}, {@code opencv:cartoon}, {@code opencv:stylize} and {@code opencv:pencil}, each
 * also reachable by its short name.
 *
 * <p>Settings (all optional): {@code opencv.sigma-s} (0, 200], default 60; {@code opencv.sigma-r}
 * (0, 1], default 0.45; {@code opencv.strength} [0, 1], default 1 (blend of edited and original);
 * {@code opencv.cartoon.levels} [2, 64], default 8 colour levels per channel.
 */
public final class OpenCvEditors {
  private OpenCvEditors() {}

  /**
   * Edits one image: {@code src} is 8-bit RGB; the edit writes an 8-bit RGB image of the same size
   * to {@code dst}.
   */
  @FunctionalInterface
  interface Edit {
    void apply(Mat src, Mat dst, Params p);
  }

  /** The editors' settings, read from the effective config with defaults. */
  record Params(double sigmaS, double sigmaR, double strength, int levels) {
    static final String SIGMA_S = "opencv.sigma-s";
    static final String SIGMA_R = "opencv.sigma-r";
    static final String STRENGTH = "opencv.strength";
    static final String LEVELS = "opencv.cartoon.levels";

    /**
     * Reads and checks the settings; throws {@link IllegalArgumentException} naming the offending
     * key.
     */
    static Params from(Config c) {
      double sigmaS = number(c, SIGMA_S, 60);
      double sigmaR = number(c, SIGMA_R, 0.45);
      double strength = number(c, STRENGTH, 1.0);
      double levels = number(c, LEVELS, 8);
      check(SIGMA_S, sigmaS, sigmaS > 0 && sigmaS <= 200, "(0, 200]");
      check(SIGMA_R, sigmaR, sigmaR > 0 && sigmaR <= 1, "(0, 1]");
      check(STRENGTH, strength, strength >= 0 && strength <= 1, "[0, 1]");
      boolean whole = levels == Math.rint(levels);
      Object shown = whole ? (Object) (long) levels : levels;
      check(LEVELS, shown, whole && levels >= 2 && levels <= 64, "[2, 64] (an integer)");
      return new Params(sigmaS, sigmaR, strength, (int) levels);
    }

    private static double number(Config c, String key, double dflt) {
      try {
        return c.hasPath(key) ? c.getDouble(key) : dflt;
      } catch (ConfigException e) {
        throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
      }
    }

    private static void check(String key, Object value, boolean ok, String range) {
      // ok is false for NaN as well, since every comparison with NaN is false
      if (!ok) throw new IllegalArgumentException(key + " = " + value + ": must be in " + range);
    }
  }

  // ---- the edits ----

  static void grayscale(Mat src, Mat dst, Params p) {
    Mat gray = new Mat();
    cvtColor(src, gray, COLOR_RGB2GRAY); // BT.601 luma
    cvtColor(gray, dst, COLOR_GRAY2RGB);
  }

  /** The classic sepia matrix, rows R', G', B' over columns R, G, B. */
  static final double[] SEPIA = {
    0.393, 0.769, 0.189,
    0.349, 0.686, 0.168,
    0.272, 0.534, 0.131,
  };

  static void sepia(Mat src, Mat dst, Params p) {
    transform(src, dst, new Mat(3, 3, CV_64F, new DoublePointer(SEPIA))); // saturates to 0..255
  }

  /** Expects BGR (see {@link #inBgr}). */
  static void cartoon(Mat bgr, Mat dst, Params p) {
    Mat smooth = new Mat();
    edgePreservingFilter(bgr, smooth, RECURS_FILTER, (float) p.sigmaS(), (float) p.sigmaR());
    Mat flat = new Mat();
    LUT(smooth, quantizer(p.levels()), flat);

    Mat gray = new Mat();
    cvtColor(bgr, gray, COLOR_BGR2GRAY);
    medianBlur(gray, gray, 7);
    Mat notEdge = new Mat();
    adaptiveThreshold(gray, notEdge, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, 9, 2);

    dst.create(bgr.rows(), bgr.cols(), CV_8UC3);
    dst.put(new Scalar(0, 0, 0, 0));
    flat.copyTo(dst, notEdge);
  }

  /** A 256-entry table mapping 0..255 to {@code levels} evenly spaced values from 0 to 255. */
  static Mat quantizer(int levels) {
    byte[] table = new byte[256];
    for (int v = 0; v < 256; v++) {
      int bucket = v * levels / 256;
      table[v] = (byte) Math.round(bucket * 255.0 / (levels - 1));
    }
    return new Mat(1, 256, CV_8UC1, new BytePointer(table));
  }

  /** Expects BGR (see {@link #inBgr}). */
  static void stylize(Mat bgr, Mat dst, Params p) {
    stylization(bgr, dst, (float) p.sigmaS(), (float) p.sigmaR());
  }

  /**
   * Expects BGR (see {@link #inBgr}); the colour output of the sketch, with OpenCV's default shade
   * factor.
   */
  static void pencil(Mat bgr, Mat dst, Params p) {
    pencilSketch(bgr, new Mat(), dst, (float) p.sigmaS(), (float) p.sigmaR(), 0.02f);
  }

  /**
   * Runs an edit written for OpenCV's BGR order (the photo module converts colour spaces assuming
   * BGR).
   */
  static Edit inBgr(Edit bgrEdit) {
    return (src, dst, p) -> {
      Mat bgr = new Mat();
      Mat out = new Mat();
      cvtColor(src, bgr, COLOR_RGB2BGR);
      bgrEdit.apply(bgr, out, p);
      cvtColor(out, dst, COLOR_BGR2RGB);
    };
  }

  // ---- frames <-> Mats ----

  /**
   * Edits one frame. All native memory allocated here is released by the scope when the frame is
   * done.
   */
  static VideoFrame apply(Edit edit, Params p, VideoFrame frame) {
    if (p.strength() == 0) return frame;
    int w = frame.width();
    int h = frame.height();
    try (PointerScope scope = new PointerScope()) {
      // Mat over a native copy of the packed RGB bytes (step = w * 3, no padding)
      Mat src = new Mat(h, w, CV_8UC3, new BytePointer(frame.rgb()));
      Mat dst = new Mat();
      edit.apply(src, dst, p);
      if (p.strength() < 1) addWeighted(dst, p.strength(), src, 1 - p.strength(), 0, dst);
      return frame.withPixels(toRgbBytes(dst, w, h));
    }
  }

  /** Packed RGB24 bytes of an 8-bit 3-channel Mat, whatever its step. */
  static byte[] toRgbBytes(Mat m, int w, int h) {
    if (m.type() != CV_8UC3 || m.cols() != w || m.rows() != h) {
      throw new IllegalStateException(
          "edit gave a "
              + m.cols()
              + "x"
              + m.rows()
              + " Mat of type "
              + m.type()
              + ", expected "
              + w
              + "x"
              + h
              + " CV_8UC3");
    }
    Mat packed = m.isContinuous() ? m : m.clone();
    byte[] out = new byte[w * h * 3];
    packed.data().get(out);
    return out;
  }

  /** One OpenCV edit with fixed settings; stateless, so sessions just map frames. */
  static final class Editor implements FrameEditor {
    private final String name;
    private final Edit edit;
    private final Params params;

    Editor(String name, Edit edit, Params params) {
      this.name = name;
      this.edit = edit;
      this.params = params;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int batchSize() {
      return 4;
    }

    @Override
    public Session open(VideoContext video) {
      return frames -> {
        List<VideoFrame> out = new ArrayList<>(frames.size());
        for (VideoFrame f : frames) out.add(apply(edit, params, f));
        return out;
      };
    }
  }

  /**
   * The shared provider logic: names {@code opencv:EDIT} and {@code EDIT}. Runs on the CPU whatever
   * the device.
   */
  abstract static class BaseProvider implements FrameEditorProvider {
    private final String edit;
    private final String description;
    private final Edit fn;

    BaseProvider(String edit, String description, Edit fn) {
      this.edit = edit;
      this.description = description;
      this.fn = fn;
    }

    @Override
    public List<String> names() {
      return List.of("opencv:" + edit, edit);
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public void validate(Config settings) {
      Params.from(settings);
    }

    @Override
    public FrameEditor create(String name, Config settings, Device device) {
      return new Editor(names().get(0), fn, Params.from(settings));
    }
  }

  public static final class GrayscaleProvider extends BaseProvider {
    public GrayscaleProvider() {
      super(
          "grayscale",
          "BT.601 luma as gray RGB (OpenCV; opencv.strength)",
          OpenCvEditors::grayscale);
    }
  }

  public static final class SepiaProvider extends BaseProvider {
    public SepiaProvider() {
      super("sepia", "classic sepia colour matrix (OpenCV; opencv.strength)", OpenCvEditors::sepia);
    }
  }

  public static final class CartoonProvider extends BaseProvider {
    public CartoonProvider() {
      super(
          "cartoon",
          "smoothed, colour-quantised, dark edges (OpenCV; opencv.sigma-s/-r, opencv.cartoon.levels)",
          inBgr(OpenCvEditors::cartoon));
    }
  }

  public static final class StylizeProvider extends BaseProvider {
    public StylizeProvider() {
      super(
          "stylize",
          "watercolour-like cv::stylization (OpenCV; opencv.sigma-s, opencv.sigma-r)",
          inBgr(OpenCvEditors::stylize));
    }
  }

  public static final class PencilProvider extends BaseProvider {
    public PencilProvider() {
      super(
          "pencil",
          "colour pencil sketch, cv::pencilSketch (OpenCV; opencv.sigma-s, opencv.sigma-r)",
          inBgr(OpenCvEditors::pencil));
    }
  }
}
