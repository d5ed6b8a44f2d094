package dev.viaspark.edit.opencv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditorProvider;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenCvEditorsTest {
  private static final Config NONE = ConfigFactory.empty();

  private static Config conf(String hocon) {
    return ConfigFactory.parseString(hocon);
  }

  private static FrameEditor editor(String name, Config settings) {
    return FrameEditors.provider(name).create(name, settings, Device.CPU);
  }

  private static List<VideoFrame> edit(FrameEditor editor, List<VideoFrame> frames) {
    VideoFrame f = frames.get(0);
    VideoContext video =
        new VideoContext("v", "in.mp4", "", f.width(), f.height(), 25, 100, 7, Map.of());
    try (FrameEditor.Session s = editor.open(video)) {
      return s.edit(frames);
    }
  }

  private static VideoFrame edit(FrameEditor editor, VideoFrame frame) {
    return edit(editor, List.of(frame)).get(0);
  }

  /** Gradients, a rectangle, a disc, a few lines and fixed-seed noise. */
  static VideoFrame texturedFrame(int index, int w, int h) {
    Random rnd = new Random(1234 + index);
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = 255 * x / Math.max(1, w - 1);
        int g = 255 * y / Math.max(1, h - 1);
        int b = (x * 7 + y * 3 + index * 11) % 256;
        if (x > w / 5 && x < w / 2 && y > h / 4 && y < 3 * h / 4) {
          r = 230;
          g = 40;
          b = 30;
        }
        int dx = x - 3 * w / 4;
        int dy = y - h / 2;
        if (dx * dx + dy * dy < (h / 4) * (h / 4)) {
          r = 20;
          g = 60;
          b = 200;
        }
        if ((x + y) % 17 == 0) r = g = b = 250;
        int n = rnd.nextInt(41) - 20;
        int i = (y * w + x) * 3;
        rgb[i] = (byte) clamp(r + n);
        rgb[i + 1] = (byte) clamp(g + n);
        rgb[i + 2] = (byte) clamp(b + n);
      }
    }
    return new VideoFrame(index, w, h, rgb);
  }

  private static VideoFrame solid(int w, int h, int r, int g, int b) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = (byte) r;
      rgb[i + 1] = (byte) g;
      rgb[i + 2] = (byte) b;
    }
    return new VideoFrame(0, w, h, rgb);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static double meanAbsDiff(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) sum += Math.abs((a[i] & 255) - (b[i] & 255));
    return (double) sum / a.length;
  }

  @ParameterizedTest
  @ValueSource(strings = {"grayscale", "sepia", "cartoon", "stylize", "pencil"})
  void keepsIndexAndOddSize(String name) {
    try (FrameEditor editor = editor(name, NONE)) {
      assertEquals("opencv:" + name, editor.name());
      assertEquals(4, editor.batchSize());
      VideoFrame in = texturedFrame(42, 161, 121);
      VideoFrame out = edit(editor, in);
      assertEquals(42, out.index());
      assertEquals(161, out.width());
      assertEquals(121, out.height());
      assertEquals(161 * 121 * 3, out.rgb().length);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "opencv:grayscale",
        "opencv:sepia",
        "opencv:cartoon",
        "opencv:stylize",
        "opencv:pencil"
      })
  void deterministicWhateverTheBatches(String name) {
    List<VideoFrame> frames = new ArrayList<>();
    for (int i = 0; i < 6; i++) frames.add(texturedFrame(i, 161, 121));
    List<VideoFrame> whole;
    try (FrameEditor editor = editor(name, NONE)) {
      whole = edit(editor, frames);
    }
    try (FrameEditor editor = editor(name, NONE)) {
      List<VideoFrame> split = new ArrayList<>(edit(editor, frames.subList(0, 1)));
      split.addAll(edit(editor, frames.subList(1, 4)));
      split.addAll(edit(editor, frames.subList(4, 6)));
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(i, split.get(i).index());
        assertArrayEquals(whole.get(i).rgb(), split.get(i).rgb(), name + " frame " + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grayscale", "sepia", "cartoon", "stylize", "pencil"})
  void deterministicAcrossThreads(String name) throws Exception {
    VideoFrame in = texturedFrame(3, 161, 121);
    try (FrameEditor editor = editor(name, NONE)) {
      byte[] expected = edit(editor, in).rgb();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) results.add(pool.submit(() -> edit(editor, in).rgb()));
        for (Future<byte[]> r : results) assertArrayEquals(expected, r.get());
      } finally {
        pool.shutdown();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grayscale", "sepia", "cartoon", "stylize", "pencil"})
  void tinyFramesDoNotCrash(String name) {
    try (FrameEditor editor = editor(name, NONE)) {
      for (int[] size : new int[][] {{9, 7}, {1, 1}, {2, 3}, {1, 17}}) {
        VideoFrame out = edit(editor, texturedFrame(5, size[0], size[1]));
        assertEquals(size[0] * size[1] * 3, out.rgb().length);
        assertEquals(5, out.index());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grayscale", "sepia", "cartoon", "stylize", "pencil"})
  void strengthZeroLeavesTheFrameAlone(String name) {
    VideoFrame in = texturedFrame(1, 161, 121);
    try (FrameEditor editor = editor(name, conf("opencv.strength = 0"))) {
      assertArrayEquals(in.rgb(), edit(editor, in).rgb());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cartoon", "stylize", "pencil"})
  void stylisedEditsChangeATexturedFrame(String name) {
    VideoFrame in = texturedFrame(0, 161, 121);
    try (FrameEditor editor = editor(name, NONE)) {
      double diff = meanAbsDiff(in.rgb(), edit(editor, in).rgb());
      assertTrue(diff > 8, name + " changed the frame by only " + diff + " levels on average");
    }
  }

  @Test
  void grayscaleIsBt601Luma() {
    try (FrameEditor editor = editor("grayscale", NONE)) {
      byte[] out = edit(editor, texturedFrame(0, 161, 121)).rgb();
      for (int i = 0; i < out.length; i += 3) {
        assertEquals(out[i], out[i + 1]);
        assertEquals(out[i], out[i + 2]);
      }
      int[][] colours = {
        {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}, {12, 200, 99}
      };
      for (int[] c : colours) {
        double luma = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
        byte[] px = edit(editor, solid(5, 3, c[0], c[1], c[2])).rgb();
        for (int i = 0; i < px.length; i++) {
          assertEquals(luma, px[i] & 255, 1.0, "luma of " + Arrays.toString(c));
        }
      }
    }
  }

  @Test
  void sepiaFollowsTheMatrix() {
    try (FrameEditor editor = editor("sepia", NONE)) {
      // white: R' and G' saturate, B' = 255 * (0.272 + 0.534 + 0.131) = 238.9
      assertPixel(edit(editor, solid(7, 5, 255, 255, 255)), 255, 255, 239);
      // gray 100: 100 * row sums 1.351, 1.203, 0.937
      assertPixel(edit(editor, solid(7, 5, 100, 100, 100)), 135, 120, 94);
      // black stays black
      assertPixel(edit(editor, solid(7, 5, 0, 0, 0)), 0, 0, 0);
    }
  }

  @Test
  void strengthBlendsEditedAndOriginal() {
    try (FrameEditor editor = editor("sepia", conf("opencv.strength = 0.5"))) {
      // gray 100 -> sepia (135, 120, 94); half way: (117.5, 110, 97)
      VideoFrame out = edit(editor, solid(3, 3, 100, 100, 100));
      byte[] px = out.rgb();
      assertEquals(117.5, px[0] & 255, 0.5);
      assertEquals(110, px[1] & 255);
      assertEquals(97, px[2] & 255);
    }
  }

  private static void assertPixel(VideoFrame f, int r, int g, int b) {
    byte[] px = f.rgb();
    for (int i = 0; i < px.length; i += 3) {
      assertEquals(r, px[i] & 255, "R");
      assertEquals(g, px[i + 1] & 255, "G");
      assertEquals(b, px[i + 2] & 255, "B");
    }
  }

  @Test
  void cartoonLevelsChangeTheResult() {
    VideoFrame in = texturedFrame(0, 161, 121);
    try (FrameEditor two = editor("cartoon", conf("opencv.cartoon.levels = 2"));
        FrameEditor many = editor("cartoon", conf("opencv.cartoon.levels = 64"))) {
      byte[] coarse = edit(two, in).rgb();
      for (byte v : coarse) assertTrue(v == 0 || v == (byte) 255, "2 levels give only 0 and 255");
      assertTrue(meanAbsDiff(coarse, edit(many, in).rgb()) > 5);
    }
  }

  @Test
  void validateNamesTheKey() {
    FrameEditorProvider p = FrameEditors.provider("stylize");
    p.validate(NONE);
    p.validate(conf("opencv { sigma-s = 200, sigma-r = 1, strength = 0, cartoon.levels = 64 }"));
    String[][] bad = {
      {"opencv.sigma-r = 3.0", "opencv.sigma-r = 3.0: must be in (0, 1]"},
      {"opencv.sigma-s = 0", "opencv.sigma-s"},
      {"opencv.sigma-s = 201", "opencv.sigma-s"},
      {"opencv.strength = -0.1", "opencv.strength"},
      {"opencv.strength = 1.5", "opencv.strength"},
      {"opencv.cartoon.levels = 1", "opencv.cartoon.levels = 1: must be in [2, 64]"},
      {"opencv.cartoon.levels = 65", "opencv.cartoon.levels"},
      {"opencv.cartoon.levels = 4.5", "opencv.cartoon.levels"},
      {"opencv.sigma-r = soft", "opencv.sigma-r"},
    };
    for (String[] b : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> p.validate(conf(b[0])), b[0]);
      assertTrue(e.getMessage().contains(b[1]), e.getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> p.create("stylize", conf(b[0]), Device.CPU), b[0]);
    }
  }

  @Test
  void providersAreRegistered() {
    Map<String, Class<?>> expected =
        Map.of(
            "grayscale", OpenCvEditors.GrayscaleProvider.class,
            "sepia", OpenCvEditors.SepiaProvider.class,
            "cartoon", OpenCvEditors.CartoonProvider.class,
            "stylize", OpenCvEditors.StylizeProvider.class,
            "pencil", OpenCvEditors.PencilProvider.class);
    expected.forEach(
        (name, type) -> {
          assertInstanceOf(type, FrameEditors.provider(name));
          assertSame(
              FrameEditors.provider(name).getClass(),
              FrameEditors.provider("opencv:" + name).getClass());
          assertEquals(List.of("opencv:" + name, name), FrameEditors.provider(name).names());
          assertTrue(
              FrameEditors.describe().stream().anyMatch(l -> l.startsWith("opencv:" + name + " ")));
        });
  }
}
