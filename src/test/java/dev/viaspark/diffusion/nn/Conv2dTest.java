package dev.viaspark.diffusion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.viaspark.diffusion.weights.RandomTensorSource;
import dev.viaspark.diffusion.weights.WeightLoading;
import org.junit.jupiter.api.Test;

class Conv2dTest {
  /**
   * A UNet's {@code conv_out} (32 to 4 channels at 16x16, a training batch of 32) being trained,
   * the gradient of a sum reaching it: libtorch's own kernel gave blocks of NaN in the input
   * gradient at pass 0 of one run and pass 48 of another on an AVX-512 machine (this test with the
   * widening off). With it, every pass is finite and the output is the plain layer's.
   */
  @Test
  void aTrainedLayerWithFewOutputChannelsGivesFiniteInputGradientsAndTheSameOutput() {
    try (NDManager m = NDManager.newBaseManager()) {
      Conv2d conv =
          new Conv2d(
              new WeightLoading("conv", new RandomTensorSource(3), m, DataType.FLOAT32).root(),
              32,
              4,
              3,
              1,
              1);
      m.getEngine().setRandomSeed(5);
      NDArray x = m.randomNormal(new Shape(32, 32, 16, 16));
      float[] inference = conv.forward(x).toFloatArray();
      conv.weight.setRequiresGradient(true);
      conv.bias.setRequiresGradient(true);
      for (int pass = 0; pass < 60; pass++) {
        try (NDManager step = m.newSubManager()) {
          NDArray input = x.duplicate();
          input.setRequiresGradient(true);
          float[] trained;
          try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            NDArray y = conv.forward(input);
            trained = y.toFloatArray();
            c.backward(y.sum());
          }
          assertArrayEquals(inference, trained, 1e-5f, "pass " + pass);
          float[] g = input.getGradient().toFloatArray();
          for (float v : g) assertTrue(Float.isFinite(v), "pass " + pass + ": a NaN gradient");
        }
      }
    }
  }

  /**
   * Low-rank adapters upstream of a frozen {@code conv_out}: the layer's input is an op's result on
   * something trained. DJL says such an array has no gradient, so before {@link Backprop} the layer
   * ran unwidened in test-time adaptation, and a step now and then lost all its gradients to NaN
   * (the adapter, and so the edit, then depended on what the process had done before). Inside a
   * training pass it widens, and its gradients are finite and the same at every pass; outside one
   * (inference) it stays the plain layer.
   */
  @Test
  void aFrozenLayerBehindSomethingTrainedWidensInATrainingPass() {
    try (NDManager m = NDManager.newBaseManager()) {
      Conv2d conv =
          new Conv2d(
              new WeightLoading("conv", new RandomTensorSource(4), m, DataType.FLOAT32).root(),
              32,
              4,
              3,
              1,
              1);
      m.getEngine().setRandomSeed(6);
      NDArray trained = m.randomNormal(new Shape(2, 32, 4, 6));
      trained.setRequiresGradient(true);
      float[] first = null;
      for (int pass = 0; pass < 60; pass++) {
        try (NDManager step = m.newSubManager();
            GradientCollector c = Engine.getInstance().newGradientCollector()) {
          NDArray made = trained.mul(trained);
          assertFalse(made.hasGradient(), "DJL's word on an op's result, the reason for Backprop");
          assertFalse(conv.widens(made), "inference");
          NDArray y = Backprop.during(() -> conv.forward(made));
          c.backward(y.square().mean());
          float[] g = trained.getGradient().toFloatArray();
          for (float v : g) assertTrue(Float.isFinite(v), "pass " + pass + ": a NaN gradient");
          if (first == null) first = g;
          assertArrayEquals(first, g, "pass " + pass);
          trained.getGradient().subi(trained.getGradient());
        }
      }
      assertTrue(Backprop.during(() -> conv.widens(trained)));
    }
  }
}
