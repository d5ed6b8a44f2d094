package dev.viaspark.edit;

import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame-editing SPI. An editor is created once per executor JVM and device (it may hold a
 * model), opens a {@link Session} per video, and edits frames in batches. Editors must be
 * deterministic: the same frame, video context and settings give the same pixels, whatever the
 * batch boundaries.
 */
public interface FrameEditor extends AutoCloseable {
  /** The name users select it by ({@code --editor NAME}). */
  String name();

  /**
   * How many frames it prefers per {@link Session#edit} call (diffusion batches on a GPU; 1 or more
   * for others).
   */
  default int batchSize() {
    return 8;
  }

  /**
   * Frames per editor call: {@code edit.batch-size} when set (above 0), else the editor's own
   * {@link #batchSize()}.
   */
  default int framesPerCall(int configuredBatchSize) {
    return configuredBatchSize > 0 ? configuredBatchSize : Math.max(1, batchSize());
  }

  /**
   * Whether the editor looks at or changes pixels. {@code false} promises that every session
   * returns its input frames unchanged: the edit stage then skips the editor and hands the decoded
   * frames to the encoder in their own pixel format, without the YUV->RGB conversion after decoding
   * and the RGB->YUV one before encoding (the temporal scores, when on, are computed on RGB
   * copies), so the output does not depend on report settings. Of the shipped editors only {@code
   * identity} says false.
   */
  default boolean needsPixels() {
    return true;
  }

  /**
   * Starts editing one video; the session holds per-video state and is closed when the segment is
   * done.
   */
  Session open(VideoContext video);

  /** Releases what the editor holds (models, native memory). */
  @Override
  default void close() {}

  /** Per-video editing state. */
  interface Session extends AutoCloseable {
    /**
     * Edits a batch of consecutive frames of the video. Returns one frame per input frame, same
     * index and size.
     */
    List<VideoFrame> edit(List<VideoFrame> frames);

    /** Every frame through {@link #edit}, {@code batch} consecutive frames at a time, in order. */
    default List<VideoFrame> editAll(List<VideoFrame> frames, int batch) {
      List<VideoFrame> edited = new ArrayList<>(frames.size());
      for (int i = 0; i < frames.size(); i += batch) {
        edited.addAll(edit(frames.subList(i, Math.min(frames.size(), i + batch))));
      }
      return edited;
    }

    @Override
    default void close() {}
  }
}
