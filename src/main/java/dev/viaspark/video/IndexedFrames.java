package dev.viaspark.video;

import java.io.File;

/**
 * The frames of a video file by index, frame-exactly: read forward from where the last read ended,
 * or from the keyframe before the frame asked for when it lies behind. Reading ascending indices
 * decodes each frame once. Nothing is opened before the first read.
 */
public final class IndexedFrames implements AutoCloseable {
  private final File file;
  private VideoInfo info;
  private SegmentReader reader;
  private int nextIndex;

  public IndexedFrames(File file) {
    this.file = file;
  }

  /** The video's frame count (probes the file on first use). */
  public synchronized int frameCount() {
    if (info == null) info = VideoProbe.probe(file);
    return info.frameCount();
  }

  /**
   * Frame {@code index}.
   *
   * @throws IllegalArgumentException when the video has no such frame, saying how many it has
   */
  public synchronized VideoFrame at(int index) {
    if (index < 0 || index >= frameCount()) {
      throw new IllegalArgumentException(
          file.getName() + " has " + frameCount() + " frames, not a frame " + index);
    }
    if (reader == null || index < nextIndex) seekTo(index);
    VideoFrame frame = null;
    while (nextIndex <= index) {
      frame = reader.next();
      if (frame == null) {
        throw new IllegalArgumentException(file.getName() + " ends before frame " + index);
      }
      nextIndex++;
    }
    return frame;
  }

  /** Opens the reader at the keyframe segment holding {@code index}. */
  private void seekTo(int index) {
    closeReader();
    for (Segment s : SegmentPlanner.plan(info, 1)) {
      if (s.start() <= index && index < s.end()) {
        reader = new SegmentReader(file, s.startPts(), s.start(), info.frameCount() - s.start());
        nextIndex = s.start();
        return;
      }
    }
    throw new IllegalStateException("no segment holds frame " + index);
  }

  private void closeReader() {
    if (reader != null) reader.close();
    reader = null;
  }

  @Override
  public synchronized void close() {
    closeReader();
  }
}
