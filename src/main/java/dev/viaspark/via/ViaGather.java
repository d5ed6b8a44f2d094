package dev.viaspark.via;

import ai.djl.ndarray.NDManager;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.List;

/** Stage 1 for one video: edits its anchor frames one after the other with {@link GatherHook} into a bank. */
public final class ViaGather {
  private ViaGather() {}

  /** The edited anchors (previews) and the bank; the caller closes the bank. */
  public record Result(List<VideoFrame> editedAnchors, InMemoryKvBank bank) {}

  /**
   * @param extra a hook run after the gather hook on every call (tests use it to observe; NONE otherwise)
   */
  public static Result run(InstructPix2PixEditor editor, VideoContext video, String instruction,
      List<VideoFrame> anchors, LayerSelection layers, int swapSteps, NDManager bankParent, AttentionHook extra) {
    GatherHook gather = new GatherHook(bankParent, layers, swapSteps);
    try {
      AttentionHook hook = extra == AttentionHook.NONE ? gather : gather.andThen(extra);
      List<VideoFrame> edited = new ArrayList<>();
      for (VideoFrame anchor : anchors) {
        edited.addAll(editor.edit(video, instruction, List.of(anchor), hook));
        gather.anchorDone();
      }
      int[] frames = anchors.stream().mapToInt(VideoFrame::index).toArray();
      return new Result(edited, gather.toBank(frames));
    } catch (RuntimeException e) {
      gather.close();
      throw e;
    }
  }
}
