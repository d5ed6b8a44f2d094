package dev.viaspark.edit.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class ColourMapTest {
  private static final int W = 16, H = 8;

  private static VideoFrame noise(long seed) {
    byte[] rgb = new byte[W * H * 3];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) r.nextInt(256);
    return new VideoFrame(0, W, H, rgb);
  }

  private static VideoFrame mapped(VideoFrame f, IntUnaryOperator perValue) {
    byte[] out = f.rgb().clone();
    for (int i = 0; i < out.length; i++) out[i] = (byte) perValue.applyAsInt(out[i] & 0xff);
    return f.withPixels(out);
  }

  private static byte[] all() {
    byte[] m = new byte[W * H];
    Arrays.fill(m, (byte) 255);
    return m;
  }

  private static void assertClose(VideoFrame expected, VideoFrame actual, int tolerance) {
    for (int i = 0; i < expected.rgb().length; i++) {
      int d = Math.abs((expected.rgb()[i] & 0xff) - (actual.rgb()[i] & 0xff));
      assertTrue(d <= tolerance, "value " + i + " is off by " + d);
    }
  }

  @Test
  void anInvertedFrameTeachesTheInversionToAnotherFrame() {
    VideoFrame source = noise(1), other = noise(2);
    ReferenceColours map =
        ReferenceColours.ofEditedFrame(source, mapped(source, v -> 255 - v), all());

    assertClose(mapped(other, v -> 255 - v), map.transfer(other, all()), 2);
  }

  @Test
  void aGrayscaleFrameTeachesTheGrayscale() {
    VideoFrame source = noise(3), other = noise(4);
    ReferenceColours map = ReferenceColours.ofEditedFrame(source, gray(source), all());

    assertClose(gray(other), map.transfer(other, all()), 2);
  }

  private static VideoFrame gray(VideoFrame f) {
    byte[] in = f.rgb(), out = new byte[in.length];
    for (int p = 0; p < in.length; p += 3) {
      double y = 0.299 * (in[p] & 0xff) + 0.587 * (in[p + 1] & 0xff) + 0.114 * (in[p + 2] & 0xff);
      out[p] = out[p + 1] = out[p + 2] = (byte) Math.round(y);
    }
    return f.withPixels(out);
  }

  @Test
  void aFlatRegionShiftsToItsEditedColourAndOnlyTheMaskMoves() {
    byte[] white = new byte[W * H * 3];
    Arrays.fill(white, (byte) 240);
    VideoFrame source = new VideoFrame(0, W, H, white);
    byte[] green = new byte[W * H * 3];
    for (int p = 0; p < W * H; p++) green[3 * p + 1] = (byte) 200;
    byte[] left = new byte[W * H];
    for (int p = 0; p < left.length; p++) if (p % W < W / 2) left[p] = (byte) 255;
    ReferenceColours map = ReferenceColours.ofEditedFrame(source, source.withPixels(green), left);

    VideoFrame out = map.transfer(new VideoFrame(7, W, H, white.clone()), left);

    byte[] rgb = out.rgb();
    assertArrayEquals(new byte[] {0, (byte) 200, 0}, Arrays.copyOfRange(rgb, 0, 3));
    assertArrayEquals(
        new byte[] {(byte) 240, (byte) 240, (byte) 240},
        Arrays.copyOfRange(rgb, 3 * (W - 1), 3 * W));
  }

  @Test
  void anEditThatDependsOnPositionIsNotTakenForAColourMap() {
    VideoFrame source = noise(6);
    byte[] striped = source.rgb().clone();
    for (int p = 0; p < W * H; p++) {
      if ((p % W) / 2 % 2 == 0) striped[3 * p] = striped[3 * p + 1] = striped[3 * p + 2] = 0;
    }
    VideoFrame inverted = mapped(source, v -> 255 - v);

    assertNull(
        ReferenceColours.ofEditedFrameIfColours(source, source.withPixels(striped), all(), 8));
    assertNotNull(ReferenceColours.ofEditedFrameIfColours(source, inverted, all(), 8));
  }

  @Test
  void framesOfAnotherSizeOrAnEmptyRegionAreRefused() {
    VideoFrame source = noise(5);
    VideoFrame small = new VideoFrame(0, W / 2, H, new byte[W / 2 * H * 3]);
    IllegalArgumentException size =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReferenceColours.ofEditedFrame(source, small, null));
    assertTrue(size.getMessage().contains("8x8") && size.getMessage().contains("16x8"));
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReferenceColours.ofEditedFrame(source, source, new byte[W * H]));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
  }
}
