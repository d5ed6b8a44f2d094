package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;

/**
 * One training or evaluation example: a source frame, an instruction and its exact target. (As for
 * any record, {@code equals} compares the arrays by identity.)
 *
 * @param owners per pixel (row-major) the index of the source shape it shows, or {@link
 *     ToyRenderer#BACKGROUND}
 * @param region per pixel (row-major) whether the instruction should change it, see {@link
 *     ToyEdit#editRegion}
 * @param expectedColour the colour of every region pixel in the target, or null for a global edit
 */
public record ToyExample(
    ToyFrame frame,
    ToyInstruction instruction,
    VideoFrame source,
    VideoFrame target,
    int[] owners,
    boolean[] region,
    Rgb expectedColour) {
  /** How many pixels the instruction should change. */
  public int regionPixels() {
    int n = 0;
    for (boolean b : region) if (b) n++;
    return n;
  }

  /**
   * Mean |target - source| over the region's pixels and channels: how visible the edit is (0 for no
   * region).
   */
  public double meanChange() {
    byte[] s = source.rgb(), t = target.rgb();
    long sum = 0;
    for (int p = 0; p < region.length; p++) {
      if (!region[p]) continue;
      for (int c = 3 * p; c < 3 * p + 3; c++) sum += Math.abs((t[c] & 0xff) - (s[c] & 0xff));
    }
    int n = regionPixels();
    return n == 0 ? 0 : sum / (3.0 * n);
  }
}
