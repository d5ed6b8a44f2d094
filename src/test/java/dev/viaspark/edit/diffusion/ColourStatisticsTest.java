package dev.viaspark.edit.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ColourStatisticsTest {
  private static final int W = 8, H = 4;

  /** A frame filled with one colour, and {@code inside} painted over the left half. */
  private static VideoFrame halves(int[] outside, int[] inside) {
    byte[] rgb = new byte[W * H * 3];
    for (int p = 0; p < W * H; p++) {
      int[] c = p % W < W / 2 ? inside : outside;
      for (int k = 0; k < 3; k++) rgb[3 * p + k] = (byte) c[k];
    }
    return new VideoFrame(3, W, H, rgb);
  }

  private static byte[] leftHalf(int weight) {
    byte[] m = new byte[W * H];
    for (int p = 0; p < m.length; p++) if (p % W < W / 2) m[p] = (byte) weight;
    return m;
  }

  private static int[] pixel(VideoFrame f, int p) {
    byte[] rgb = f.rgb();
    return new int[] {rgb[3 * p] & 0xff, rgb[3 * p + 1] & 0xff, rgb[3 * p + 2] & 0xff};
  }

  @Test
  void aFlatRegionTakesTheReferenceRegionsColourAndTheRestStays() {
    VideoFrame frame = halves(new int[] {20, 30, 90}, new int[] {240, 240, 240});
    VideoFrame reference = halves(new int[] {0, 200, 0}, new int[] {220, 30, 40});

    VideoFrame out =
        ReferenceColours.ofLook(reference, leftHalf(255)).transfer(frame, leftHalf(255));

    assertArrayEquals(new int[] {220, 30, 40}, pixel(out, 0));
    assertArrayEquals(new int[] {20, 30, 90}, pixel(out, W - 1));
    assertEquals(frame.index(), out.index());
  }

  @Test
  void theWholeReferenceGivesItsMeanToAFlatRegion() {
    VideoFrame reference = halves(new int[] {0, 100, 200}, new int[] {100, 100, 100});
    ReferenceColours colours = ReferenceColours.ofLook(reference, null);

    VideoFrame out =
        colours.transfer(halves(new int[] {5, 5, 5}, new int[] {240, 240, 240}), leftHalf(255));

    assertArrayEquals(new int[] {50, 100, 150}, pixel(out, 0));
  }

  @Test
  void aShadedRegionTakesTheReferencesMeanAndSpread() {
    byte[] rgb = new byte[W * H * 3];
    for (int p = 0; p < W * H; p++) {
      for (int k = 0; k < 3; k++) rgb[3 * p + k] = (byte) (100 + 10 * (p % W));
    }
    VideoFrame shaded = new VideoFrame(0, W, H, rgb);
    byte[] all = new byte[W * H];
    Arrays.fill(all, (byte) 255);
    // reference: the same ramp, twice as steep, around 100
    byte[] refRgb = new byte[W * H * 3];
    for (int p = 0; p < W * H; p++) {
      for (int k = 0; k < 3; k++) refRgb[3 * p + k] = (byte) (30 + 20 * (p % W));
    }
    VideoFrame reference = new VideoFrame(0, W, H, refRgb);

    VideoFrame out = ReferenceColours.ofLook(reference, null).transfer(shaded, all);

    assertArrayEquals(reference.rgb(), out.rgb());
  }

  @Test
  void aHalfWeightBlendsHalfWay() {
    VideoFrame frame = halves(new int[] {0, 0, 0}, new int[] {200, 200, 200});
    VideoFrame reference = halves(new int[] {0, 0, 0}, new int[] {100, 0, 200});

    VideoFrame half =
        ReferenceColours.ofLook(reference, leftHalf(255)).transfer(frame, leftHalf(128));

    int[] p = pixel(half, 0);
    assertTrue(
        Math.abs(p[0] - 150) <= 1 && Math.abs(p[1] - 100) <= 1 && p[2] == 200, Arrays.toString(p));
  }

  @Test
  void anEmptyMaskLeavesTheFrameAndAnEmptyReferenceRegionIsRefused() {
    VideoFrame frame = halves(new int[] {1, 2, 3}, new int[] {4, 5, 6});
    ReferenceColours colours = ReferenceColours.ofLook(frame, null);

    assertArrayEquals(frame.rgb(), colours.transfer(frame, new byte[W * H]).rgb());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ReferenceColours.ofLook(frame, new byte[W * H]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }
}
