package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every step's temporaries are freed: the arrays alive on the model's manager do not grow from call
 * to call.
 */
class PipelineMemoryTest {
  @Test
  void repeatedEditsLeaveNothingBehind() {
    try (InstructPix2PixPipeline pipeline =
        InstructPix2PixPipeline.load(
            TestVectors.checkpoint(), Device.cpu(), DataType.FLOAT32, 16)) {
      int afterFirst = -1;
      for (int call = 0; call < 4; call++) {
        try (NDManager m = NDManager.newBaseManager()) {
          EditCall edit =
              new EditCall(
                  new SeededNoise(call).next(m, new Shape(2, 3, 40, 48)).tanh(),
                  List.of("make it snowy"),
                  "blurry",
                  3,
                  7.5f,
                  1.5f,
                  null,
                  new SeededNoise(9),
                  null,
                  AttentionHook.NONE,
                  null);
          pipeline.edit(m, edit, null).toFloatArray();
        }
        if (call == 0) afterFirst = pipeline.liveArrays();
      }
      assertEquals(
          afterFirst,
          pipeline.liveArrays(),
          "arrays alive on the model manager after 4 calls vs after 1");
    }
  }
}
