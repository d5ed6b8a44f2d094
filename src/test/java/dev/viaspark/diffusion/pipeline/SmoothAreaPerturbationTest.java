package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import org.junit.jupiter.api.Test;

class SmoothAreaPerturbationTest {
  /** A flat grey image [1, 3, 8, 8] whose right half is white. */
  private static NDArray halfWhite(NDManager m) {
    NDArray img = m.zeros(new Shape(1, 3, 8, 8));
    img.set(new NDIndex(":, :, :, 4:"), 1f);
    return img;
  }

  @Test
  void flatAreasAreFoundAndEdgesAreNot() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] mask = SmoothAreaPerturbation.I2VEDIT.mask(halfWhite(m)).toFloatArray();
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          // Sobel reaches one pixel either side of the edge between columns 3 and 4
          float expected = x == 3 || x == 4 ? 0f : 1f;
          assertEquals(expected, mask[y * 8 + x], "pixel " + x + "," + y);
        }
      }
    }
  }

  @Test
  void noiseLandsOnlyInFlatAreasAtTheGivenScale() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray img = halfWhite(m);
      SmoothAreaPerturbation sarp = new SmoothAreaPerturbation(0.001f, 0.02f);
      NDArray out = sarp.apply(img, new SeededNoise(3));
      NDArray change = out.sub(img).abs();
      assertEquals(0f, change.get(new NDIndex(":, :, :, 3:5")).max().getFloat());
      float flat = change.get(new NDIndex(":, :, :, 0:3")).mean().getFloat();
      // the mean of |N(0, 0.02)| is 0.016
      assertTrue(flat > 0.008 && flat < 0.03, "mean change in the flat area " + flat);
    }
  }
}
