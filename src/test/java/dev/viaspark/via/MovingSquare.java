package dev.viaspark.via;

import dev.viaspark.video.VideoFrame;

/** A test video: a textured 10x10 square moving 2 pixels right per frame over a grey ramp. */
final class MovingSquare {
  static final int SIZE = 48;
  static final int FRAMES = 12;
  static final int TOP = 18;

  private MovingSquare() {}

  static VideoFrame source(int index) {
    return frame(index, false);
  }

  /** The same frame with the square made red (its texture kept): an edit to carry. */
  static VideoFrame edited(int index) {
    return frame(index, true);
  }

  /** The square's left edge in frame {@code index}. */
  static int left(int index) {
    return 6 + 2 * index;
  }

  static boolean inSquare(int index, int x, int y) {
    return x >= left(index) && x < left(index) + 10 && y >= TOP && y < TOP + 10;
  }

  /** One byte per pixel: 255 on the square of frame {@code index}, else 0. */
  static byte[] mask(int index) {
    byte[] mask = new byte[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++)
      for (int x = 0; x < SIZE; x++) if (inSquare(index, x, y)) mask[y * SIZE + x] = (byte) 255;
    return mask;
  }

  private static VideoFrame frame(int index, boolean red) {
    byte[] rgb = new byte[SIZE * SIZE * 3];
    int x0 = left(index);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int p = 3 * (y * SIZE + x);
        boolean in = inSquare(index, x, y);
        int grey = 60 + x + y;
        int v = in ? 200 + 4 * ((x - x0 + y - TOP) % 5) : grey;
        rgb[p] = (byte) v;
        rgb[p + 1] = (byte) (in && red ? 20 : v);
        rgb[p + 2] = (byte) (in && red ? 20 : v);
      }
    }
    return new VideoFrame(index, SIZE, SIZE, rgb);
  }
}
