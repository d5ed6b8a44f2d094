package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;

/** Attention keys and values, each [batch, tokens, inner] (before the head split). */
public record KeyValue(NDArray key, NDArray value) {}
