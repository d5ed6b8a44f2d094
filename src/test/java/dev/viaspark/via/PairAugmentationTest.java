package dev.viaspark.via;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairAugmentationTest {
  private static VideoFrame noise(int w, int h, long seed, int max) {
    byte[] rgb = new byte[w * h * 3];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) r.nextInt(max);
    return new VideoFrame(0, w, h, rgb);
  }

  @Test
  void bothFramesGoThroughTheSameTransform() {
    VideoFrame source = noise(48, 40, 1, 200);
    byte[] shifted = source.rgb().clone();
    for (int i = 0; i < shifted.length; i++) shifted[i] = (byte) ((shifted[i] & 0xff) + 40);
    VideoFrame edited = source.withPixels(shifted);
    for (long seed = 0; seed < 5; seed++) {
      VideoFrame[] out = PairAugmentation.apply(source, edited, new SplittableRandom(seed));
      assertFalse(Arrays.equals(source.rgb(), out[0].rgb()), "the frame moved");
      for (int i = 0; i < shifted.length; i++) {
        int d = (out[1].rgb()[i] & 0xff) - (out[0].rgb()[i] & 0xff);
        assertTrue(Math.abs(d - 40) <= 1, "seed " + seed + " byte " + i + ": " + d);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSamePairAndTheCentreMovesOnlyByTheTranslation() {
    int w = 64, h = 64;
    byte[] dot = new byte[w * h * 3];
    for (int y = 31; y <= 32; y++)
      for (int x = 31; x <= 32; x++)
        Arrays.fill(dot, (y * w + x) * 3, (y * w + x) * 3 + 3, (byte) 255);
    VideoFrame f = new VideoFrame(3, w, h, dot);
    for (long seed = 0; seed < 20; seed++) {
      VideoFrame[] a = PairAugmentation.apply(f, f, new SplittableRandom(seed));
      VideoFrame[] b = PairAugmentation.apply(f, f, new SplittableRandom(seed));
      assertArrayEquals(a[0].rgb(), b[0].rgb());
      int best = 0, bx = 0, by = 0;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          if ((a[0].rgb()[(y * w + x) * 3] & 0xff) > best) {
            best = a[0].rgb()[(y * w + x) * 3] & 0xff;
            bx = x;
            by = y;
          }
      double limit = PairAugmentation.MAX_TRANSLATION * w + 1.5;
      assertTrue(
          Math.abs(bx - 31.5) <= limit && Math.abs(by - 31.5) <= limit,
          "seed " + seed + ": the centre went to " + bx + "," + by);
    }
  }

  @Test
  void framesOfTwoSizesAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PairAugmentation.apply(noise(8, 8, 1, 9), noise(8, 6, 1, 9), new SplittableRandom(1)));
  }
}
