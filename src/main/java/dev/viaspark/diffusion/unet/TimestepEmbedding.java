package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.nn.Activations;
import dev.viaspark.diffusion.nn.Linear;
import dev.viaspark.diffusion.weights.Weights;

/** diffusers' {@code TimestepEmbedding} ({@code time_embedding}): linear_1, SiLU, linear_2. */
public final class TimestepEmbedding {
  final Linear linear1;
  final Linear linear2;

  public TimestepEmbedding(Weights w, int in, int dim) {
    linear1 = new Linear(w.child("linear_1"), in, dim, true);
    linear2 = new Linear(w.child("linear_2"), dim, dim, true);
  }

  public NDArray forward(NDArray x) {
    return linear2.forward(Activations.silu(linear1.forward(x)));
  }
}
