package dev.viaspark.video;

import java.io.Serializable;

/**
 * A run of consecutive frames [start, end) of one video that starts on a keyframe (or at frame 0),
 * so it can be decoded on its own.
 *
 * @param startPts presentation timestamp of frame {@code start}, where decoding seeks to
 */
public record Segment(int index, int start, int end, long startPts) implements Serializable {
  public int frames() {
    return end - start;
  }
}
