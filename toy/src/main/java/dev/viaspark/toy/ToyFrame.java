package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;

/**
 * One frame of a toy video before rendering: its scene and the lighting factor it is seen under.
 */
public record ToyFrame(int index, ToyScene scene, double lighting) {
  /** The default frame size, in pixels each way. */
  public static final int SIZE = 64;

  /** The frame as RGB pixels, {@link #SIZE} x {@link #SIZE}. */
  public VideoFrame render() {
    return render(SIZE, SIZE);
  }

  public VideoFrame render(int width, int height) {
    return ToyRenderer.render(scene, lighting, index, width, height);
  }
}
