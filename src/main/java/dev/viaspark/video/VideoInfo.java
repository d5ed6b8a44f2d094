package dev.viaspark.video;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What the probe stage sees in one video: container, streams, timing and the keyframe index. Small
 * enough to travel in Spark tasks (per-frame timestamps are not kept: the assembler re-reads them
 * from the source).
 *
 * @param keyframes frame indices (presentation order) of the video keyframes, ascending
 * @param keyframePts presentation timestamps of those keyframes, in {@code timeBase} units
 * @param firstPts timestamp of frame 0
 * @param displayMatrix the 3x3 display matrix side data (rotation), or null when the stream has
 *     none
 * @param bitDepth bits per component of the decoded pixel format (8 for most archives, 10 or 12 for
 *     HDR and mastering formats)
 */
public record VideoInfo(
    String file,
    String container,
    double durationSeconds,
    String videoCodec,
    int width,
    int height,
    Rational frameRate,
    Rational timeBase,
    int frameCount,
    long firstPts,
    int[] keyframes,
    long[] keyframePts,
    int rotation,
    int[] displayMatrix,
    String audioCodec,
    int audioSampleRate,
    int audioChannels,
    double audioDurationSeconds,
    List<String> streams,
    long declaredFrameCount,
    int bitDepth)
    implements Serializable {

  /**
   * Why the frame count differs from what the container's header declares, or null when they agree
   * or the header declares none. Only containers whose count is a header field get here: in MP4 and
   * MOV, where the index lists every frame, a listed frame the file lacks fails the probe instead.
   */
  public String frameCountWarning() {
    if (declaredFrameCount <= 0 || declaredFrameCount == frameCount) return null;
    return "the container declares "
        + declaredFrameCount
        + " video frames and holds "
        + frameCount
        + "; all "
        + frameCount
        + " were edited";
  }

  /**
   * Why the output has fewer bits per component than the source, or null for an 8-bit source. The
   * editor works on 8-bit RGB, so deeper sources lose their extra precision.
   */
  public String bitDepthWarning() {
    if (bitDepth <= 8) return null;
    return "the source has "
        + bitDepth
        + " bits per component; the edit and the output have 8 (smooth gradients may band)";
  }

  public boolean hasAudio() {
    return audioCodec != null;
  }

  /** Timestamp (timeBase units) of a keyframe given by its frame index. */
  public long ptsOfKeyframe(int frameIndex) {
    int i = Arrays.binarySearch(keyframes, frameIndex);
    if (i < 0)
      throw new IllegalArgumentException("frame " + frameIndex + " is not a keyframe of " + file);
    return keyframePts[i];
  }

  /** A human-readable multi-line description, as {@code viaspark probe} prints it. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append("file:        ").append(file).append('\n');
    s.append("container:   ").append(container).append('\n');
    s.append(String.format("duration:    %.3f s%n", durationSeconds));
    for (String st : streams) s.append("stream:      ").append(st).append('\n');
    s.append("video:       ")
        .append(videoCodec)
        .append(' ')
        .append(width)
        .append('x')
        .append(height)
        .append(", ")
        .append(bitDepth)
        .append("-bit")
        .append('\n');
    s.append(String.format("fps:         %s (%.3f)%n", frameRate, frameRate.value()));
    s.append("timebase:    ").append(timeBase).append('\n');
    s.append("frames:      ").append(frameCount).append('\n');
    s.append("keyframes:   ")
        .append(keyframes.length)
        .append(" at frames ")
        .append(abbreviate(keyframes))
        .append('\n');
    s.append("rotation:    ").append(rotation).append('\n');
    if (hasAudio()) {
      s.append(
          String.format(
              "audio:       %s %d Hz, %d ch, %.3f s%n",
              audioCodec, audioSampleRate, audioChannels, audioDurationSeconds));
    } else {
      s.append("audio:       none\n");
    }
    return s.toString();
  }

  private static String abbreviate(int[] values) {
    if (values.length <= 20) return Arrays.toString(values);
    int[] head = Arrays.copyOf(values, 20);
    return Arrays.toString(head).replace("]", ", ... (" + (values.length - 20) + " more)]");
  }
}
