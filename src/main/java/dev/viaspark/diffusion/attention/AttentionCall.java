package dev.viaspark.diffusion.attention;

import java.util.List;

/**
 * What an {@code Attention} module tells its hook: its diffusers module path (e.g. {@code
 * up_blocks.1.attentions.0.transformer_blocks.0.attn1}), whether it is self- or cross-attention,
 * the denoising step, and the guidance branches of the batch (each {@code batchPerBranch} samples,
 * branch-major).
 */
public record AttentionCall(
    String module,
    boolean selfAttention,
    int step,
    float timestep,
    List<GuidanceBranch> branches,
    int batchPerBranch,
    int heads) {}
