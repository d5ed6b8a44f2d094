package dev.viaspark.diffusion.clip;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.Activations;
import dev.viaspark.diffusion.nn.Linear;
import dev.viaspark.diffusion.weights.Weights;
import java.util.function.UnaryOperator;

/** transformers' {@code CLIPMLP}: fc1, the configured activation (quick_gelu or gelu), fc2. */
public final class ClipMlp {
  final Linear fc1;
  final Linear fc2;
  private final UnaryOperator<NDArray> activation;

  public ClipMlp(Weights w, ClipTextConfig cfg) {
    fc1 = new Linear(w.child("fc1"), cfg.hiddenSize(), cfg.intermediateSize(), true);
    fc2 = new Linear(w.child("fc2"), cfg.intermediateSize(), cfg.hiddenSize(), true);
    activation = cfg.hiddenAct().equals("quick_gelu") ? Activations::quickGelu : Activations::gelu;
  }

  public NDArray forward(NDArray x) {
    return fc2.forward(activation.apply(fc1.forward(x)));
  }
}
