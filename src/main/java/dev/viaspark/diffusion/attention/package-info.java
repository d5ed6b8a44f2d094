/**
 * Attention for the diffusion models: diffusers' {@link Attention} module as the UNet's transformer
 * blocks use it, and {@link ScaledDotProductAttention}, a query-chunked softmax attention built
 * from primitive ops that the CLIP text encoder also uses. Every {@link Attention} call passes its
 * projected q, k and v to an {@link AttentionHook} with an {@link AttentionCall} (module path,
 * step, {@link GuidanceBranch}es), and the hook may replace k and v with a {@link KeyValue}. This
 * hook is the extension point that {@code dev.viaspark.via} uses for gather-and-swap; {@link
 * KvRecorder} and {@link KvReplacer} are simple record and replace hooks.
 */
package dev.viaspark.diffusion.attention;
