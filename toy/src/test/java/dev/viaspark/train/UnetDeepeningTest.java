package dev.viaspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.unet.UNetConfig;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnetDeepeningTest {
  @TempDir Path dir;

  @Test
  void newLayersSitAfterTheDownBlocksLastAndTheUpBlocksFirst() {
    assertEquals("conv_in.weight", UnetDeepening.oldKey("conv_in.weight", 1, 1));
    assertEquals(
        "down_blocks.0.resnets.0.conv1.weight",
        UnetDeepening.oldKey("down_blocks.0.resnets.0.conv1.weight", 1, 1));
    assertNull(UnetDeepening.oldKey("down_blocks.0.attentions.1.proj_out.weight", 1, 1));
    assertEquals(
        "up_blocks.1.resnets.0.conv1.weight",
        UnetDeepening.oldKey("up_blocks.1.resnets.0.conv1.weight", 1, 1));
    assertNull(UnetDeepening.oldKey("up_blocks.1.resnets.1.conv1.weight", 1, 1));
    assertEquals(
        "up_blocks.1.attentions.1.norm.weight",
        UnetDeepening.oldKey("up_blocks.1.attentions.2.norm.weight", 1, 1));
  }

  @Test
  void theDeepenedUnetPredictsWhatTheModelDid() throws IOException {
    int layers =
        UNetConfig.read(ToyModelTest.MODEL.resolve("unet/config.json")).layersPerBlock() + 1;
    Path deeper = UnetDeepening.deepen(ToyModelTest.MODEL, dir.resolve("deeper"), layers, 7);
    try (SafetensorsFile f = SafetensorsFile.open(ToyModelLayout.weightsFile(deeper, "unet"))) {
      assertTrue(f.tensors().containsKey("down_blocks.1.resnets.1.conv1.weight"));
      assertTrue(f.tensors().containsKey("up_blocks.2.attentions.2.proj_in.weight"));
    }
    try (NDManager m = NDManager.newBaseManager()) {
      UNet2DConditionModel before =
          UNet2DConditionModel.load(ToyModelTest.MODEL.resolve("unet"), m, DataType.FLOAT32);
      UNet2DConditionModel after =
          UNet2DConditionModel.load(deeper.resolve("unet"), m, DataType.FLOAT32);
      assertEquals(layers, after.config().layersPerBlock());
      m.getEngine().setRandomSeed(3);
      int size = 16;
      NDArray sample = m.randomNormal(new Shape(2, before.config().inChannels(), size, size));
      NDArray context = m.randomNormal(new Shape(2, 77, before.config().crossAttentionDim()));
      NDArray t = m.create(new float[] {900f, 120f});
      float[] a = before.forward(sample, t, context, AttentionContext.none(0)).toFloatArray();
      float[] b = after.forward(sample, t, context, AttentionContext.none(0)).toFloatArray();
      double worst = 0, scale = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(a[i]));
      }
      assertTrue(worst < 1e-4 * scale, "largest difference " + worst + " of " + scale);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> UnetDeepening.deepen(deeper, dir.resolve("same"), layers, 7),
        "deepening to the layers it has");
  }
}
