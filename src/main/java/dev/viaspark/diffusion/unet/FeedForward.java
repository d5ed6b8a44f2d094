package dev.viaspark.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.viaspark.diffusion.nn.Activations;
import dev.viaspark.diffusion.nn.Linear;
import dev.viaspark.diffusion.weights.Weights;

/**
 * diffusers' {@code FeedForward} with GEGLU: {@code net.0.proj} to twice the inner size, value
 * times {@code gelu(gate)} (the first half is the value), then {@code net.2} back to {@code dim}.
 */
public final class FeedForward {
  final Linear net0Proj;
  final Linear net2;

  public FeedForward(Weights w, int dim) {
    int inner = dim * 4;
    net0Proj = new Linear(w.child("net").child(0).child("proj"), dim, inner * 2, true);
    net2 = new Linear(w.child("net").child(2), inner, dim, true);
  }

  public NDArray forward(NDArray x) {
    NDArray projected = net0Proj.forward(x);
    NDList halves = projected.split(2, projected.getShape().dimension() - 1);
    // out of place: split's outputs are views that autograd (training) cannot modify in place
    return net2.forward(halves.get(0).mul(Activations.gelu(halves.get(1))));
  }
}
