package dev.viaspark.edit.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskFramesTest {
  @Test
  void attentionValuesNameTheirWordsAndNeedNoFile() {
    assertEquals(List.of(), MaskFrames.attentionWords("attention"));
    assertEquals(List.of("car", "red"), MaskFrames.attentionWords("attention:car, red"));
    assertNull(MaskFrames.attentionWords("masks/attention.png"));
    assertNull(MaskFrames.attentionWords("auto"));
    assertTrue(MaskFrames.isFound("auto"));
    assertTrue(MaskFrames.isFound("attention:car"));
    assertFalse(MaskFrames.isFound("s3a://bucket/masks/{name}.mkv"));
    assertFalse(MaskFrames.isFound(null));
  }
}
