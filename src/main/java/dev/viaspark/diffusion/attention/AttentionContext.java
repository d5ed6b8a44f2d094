package dev.viaspark.diffusion.attention;

import java.util.List;

/**
 * Per-UNet-call state the attention modules need: the hook, the step, the batch's branches, the
 * query chunk.
 */
public record AttentionContext(
    AttentionHook hook,
    int step,
    float timestep,
    List<GuidanceBranch> branches,
    int batchPerBranch,
    int queryChunk) {

  public static AttentionContext none(int queryChunk) {
    return new AttentionContext(
        AttentionHook.NONE, 0, 0f, List.of(GuidanceBranch.TEXT_IMAGE), 1, queryChunk);
  }

  public AttentionCall call(String module, boolean self, int heads) {
    return new AttentionCall(module, self, step, timestep, branches, batchPerBranch, heads);
  }
}
