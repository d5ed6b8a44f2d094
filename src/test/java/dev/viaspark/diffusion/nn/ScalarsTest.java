package dev.viaspark.diffusion.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ScalarsTest {
  private static final int ROUNDS = 10;

  @Test
  void aProductsGradientSurvivesAGarbageCollectionBeforeTheBackwardPass() {
    assertGradient(x -> Scalars.mul(x, 3f), 3f);
  }

  @Test
  void aQuotientsGradientSurvivesAGarbageCollectionBeforeTheBackwardPass() {
    assertGradient(x -> Scalars.div(x, 4f), 0.25f);
    assertGradient(x -> Scalars.divi(x.mul(x.onesLike()), 4f), 0.25f);
  }

  /**
   * Between the forward and backward passes: a collection, which frees unreachable direct buffers,
   * then new small arrays that reuse freed memory (what DJL's own {@code mul(Number)} loses to, in
   * every round here).
   */
  private static void assertGradient(UnaryOperator<NDArray> op, float expected) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.ones(new Shape(4));
      x.setRequiresGradient(true);
      for (int round = 0; round < ROUNDS; round++) {
        try (NDManager step = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y = op.apply(x);
          System.gc();
          Thread.sleep(10);
          for (int i = 0; i < 50; i++) step.create(new float[] {7f, 7f}).close();
          collector.backward(y.sum());
          try (NDArray g = x.getGradient()) {
            assertArrayEquals(
                new float[] {expected, expected, expected, expected}, g.toFloatArray());
            g.subi(g);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
