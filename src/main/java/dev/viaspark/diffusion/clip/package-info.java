/**
 * The Stable Diffusion 1.x text side: {@link ClipTokenizer}, the CLIP byte-level BPE tokenizer
 * reproducing transformers' ids (with {@link TextCleanup} choosing between the BERT-style and
 * ftfy-style prompt cleanup), and {@link ClipTextModel}, transformers' CLIPTextModel built from
 * {@link ClipTextConfig} and its layers ({@link ClipTextEmbeddings}, {@link ClipEncoderLayer},
 * {@link ClipAttention}, {@link ClipMlp}). The pipeline in {@code dev.viaspark.diffusion.pipeline}
 * uses the tokenizer and encoder to make the prompt embeddings.
 */
package dev.viaspark.diffusion.clip;
