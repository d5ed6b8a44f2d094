package dev.viaspark.diffusion.clip;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.LayerNorm;
import dev.viaspark.diffusion.weights.Weights;

/**
 * transformers' {@code CLIPEncoderLayer}, pre-LN: {@code x + attn(ln1(x))}, then {@code x +
 * mlp(ln2(x))}.
 */
public final class ClipEncoderLayer {
  final LayerNorm layerNorm1;
  final ClipAttention selfAttn;
  final LayerNorm layerNorm2;
  final ClipMlp mlp;

  public ClipEncoderLayer(Weights w, ClipTextConfig cfg) {
    layerNorm1 = new LayerNorm(w.child("layer_norm1"), cfg.hiddenSize(), cfg.layerNormEps());
    selfAttn = new ClipAttention(w.child("self_attn"), cfg);
    layerNorm2 = new LayerNorm(w.child("layer_norm2"), cfg.hiddenSize(), cfg.layerNormEps());
    mlp = new ClipMlp(w.child("mlp"), cfg);
  }

  public NDArray forward(NDArray x, NDArray causalMask) {
    NDArray h = selfAttn.forward(layerNorm1.forward(x), causalMask).addi(x);
    return mlp.forward(layerNorm2.forward(h)).addi(h);
  }
}
