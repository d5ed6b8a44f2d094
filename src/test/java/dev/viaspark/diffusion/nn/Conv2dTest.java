package dev.viaspark.diffusion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
