package dev.viaspark.edit.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.viaspark.config.ConfigLayers;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ip2p} editor through the FrameEditor SPI, on the tiny reference checkpoint. */
class InstructPix2PixEditorTest {
  static Config settings(String seedMode) {
    return ConfigLayers.reference()
        .withValue("edit.editor", ConfigValueFactory.fromAnyRef("ip2p"))
        .withValue("model.path", ConfigValueFactory.fromAnyRef(TestVectors.checkpoint().toString()))
        .withValue("edit.steps", ConfigValueFactory.fromAnyRef(3))
        .withValue("seed.mode", ConfigValueFactory.fromAnyRef(seedMode));
  }

  static List<VideoFrame> frames(int width, int height, int count) {
    SyntheticVideo v = new SyntheticVideo().size(width, height);
    List<VideoFrame> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add(new VideoFrame(i, width, height, v.frameRgb(i)));
    return out;
  }

  static VideoContext video(String instruction, int width, int height) {
    return new VideoContext("video-1", "in.mp4", instruction, width, height, 25, 4, 42, Map.of());
  }

  @Test
  void editsDeterministicallyWhateverTheBatchBoundaries() {
    FrameEditor editor = FrameEditors.shared("ip2p", settings("per-frame"), Device.CPU);
    List<VideoFrame> in = frames(64, 48, 3);
    List<VideoFrame> together, apart = new ArrayList<>(), again;
    try (FrameEditor.Session s = editor.open(video("make it snowy", 64, 48))) {
      together = s.edit(in);
      apart.addAll(s.edit(in.subList(0, 1)));
      apart.addAll(s.edit(in.subList(1, 3)));
      again = s.edit(in);
    }
    for (int i = 0; i < in.size(); i++) {
      assertEquals(i, together.get(i).index());
      assertArrayEquals(
          together.get(i).rgb(), again.get(i).rgb(), "frame " + i + " is the same on a rerun");
      assertTrue(
          maxDiff(together.get(i).rgb(), apart.get(i).rgb()) <= 1,
          "frame " + i + " does not depend on its batch (float rounding aside)");
      assertFalse(
          Arrays.equals(in.get(i).rgb(), together.get(i).rgb()), "frame " + i + " is edited");
    }
  }

  @Test
  void aMaskedEditKeepsEveryPixelOutsideTheMaskAtAnyFrameSize() {
    InstructPix2PixEditor editor =
        (InstructPix2PixEditor) FrameEditors.shared("ip2p", settings("shared"), Device.CPU);
    int w = 70, h = 45; // the model works at 64x40
    List<VideoFrame> in = frames(w, h, 2);
    byte[] mask = new byte[w * h];
    for (int y = 0; y < h; y++) for (int x = 0; x < 30; x++) mask[y * w + x] = (byte) 255;
    List<VideoFrame> out =
        editor.edit(
            video("make it snowy", w, h),
            "make it snowy",
            in,
            AttentionHook.NONE,
            List.of(mask, mask));
    for (int i = 0; i < 2; i++) {
      byte[] src = in.get(i).rgb(), got = out.get(i).rgb();
      int changedInside = 0;
      for (int p = 0; p < w * h; p++) {
        for (int c = 0; c < 3; c++) {
          if (mask[p] == 0) assertEquals(src[3 * p + c], got[3 * p + c], "pixel " + p);
          else if (src[3 * p + c] != got[3 * p + c]) changedInside++;
        }
      }
      assertTrue(changedInside > 0, "frame " + i + " is edited inside the mask");
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                editor.edit(
                    video("make it snowy", w, h),
                    "make it snowy",
                    in,
                    AttentionHook.NONE,
                    List.of(mask)));
    assertTrue(e.getMessage().contains("1 masks for 2 frames"), e.getMessage());
  }

  @Test
  void ddimEtaDrawsFreshNoiseEachStepAndStaysDeterministic() {
    Config ddim =
        settings("shared")
            .withValue("model.scheduler", ConfigValueFactory.fromAnyRef("DDIMScheduler"));
    List<VideoFrame> in = frames(64, 48, 1);
    byte[] deterministic = editOnce(ddim, in);
    Config ancestral = ddim.withValue("edit.ddim-eta", ConfigValueFactory.fromAnyRef(1.0));
    byte[] withNoise = editOnce(ancestral, in);
    assertFalse(Arrays.equals(deterministic, withNoise), "eta 1 adds noise at each step");
    assertArrayEquals(withNoise, editOnce(ancestral, in), "the same seed gives the same noise");

    Config ownScheduler =
        settings("shared").withValue("edit.ddim-eta", ConfigValueFactory.fromAnyRef(0.5));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> editOnce(ownScheduler, in));
    assertTrue(
        e.getMessage().contains("edit.ddim-eta = 0.5 needs DDIMScheduler")
            && e.getMessage().contains("EulerAncestralDiscreteScheduler"),
        e.getMessage());
  }

  private static byte[] editOnce(Config settings, List<VideoFrame> in) {
    FrameEditor editor = FrameEditors.shared("ip2p", settings, Device.CPU);
    try (FrameEditor.Session s = editor.open(video("make it snowy", 64, 48))) {
      return s.edit(in).get(0).rgb();
    }
  }

  @Test
  void keepsFrameSizesThatAreNotMultiplesOfEight() {
    FrameEditor editor = FrameEditors.shared("ip2p", settings("shared"), Device.CPU);
    List<VideoFrame> in = frames(70, 45, 1);
    try (FrameEditor.Session s = editor.open(video("make it snowy", 70, 45))) {
      VideoFrame out = s.edit(in).get(0);
      assertEquals(70, out.width());
      assertEquals(45, out.height());
    }
  }

  @Test
  void refusesAVideoWithoutInstruction() {
    FrameEditor editor = FrameEditors.shared("ip2p", settings("shared"), Device.CPU);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> editor.open(video(" ", 64, 48)));
    assertTrue(e.getMessage().contains("instruction"), e.getMessage());
  }

  @Test
  void validationNamesTheModelPathProblem() {
    FrameEditorProviderCheck.assertRejected(
        settings("shared").withValue("model.path", ConfigValueFactory.fromAnyRef("")),
        "model.path is empty");
    FrameEditorProviderCheck.assertRejected(
        settings("shared").withValue("model.path", ConfigValueFactory.fromAnyRef("/no/such/model")),
        "/no/such/model");
    FrameEditorProviderCheck.assertRejected(
        settings("shared").withValue("model.scheduler", ConfigValueFactory.fromAnyRef("PNDM")),
        "model.scheduler");
    FrameEditorProviderCheck.assertRejected(
        settings("shared").withValue("edit.ddim-eta", ConfigValueFactory.fromAnyRef(1.5)),
        "edit.ddim-eta = 1.5: a share of each step's variance, 0-1");
    FrameEditorProviderCheck.assertRejected(
        settings("shared")
            .withValue("model.scheduler", ConfigValueFactory.fromAnyRef("EulerDiscreteScheduler"))
            .withValue("edit.ddim-eta", ConfigValueFactory.fromAnyRef(1)),
        "edit.ddim-eta = 1.0 is DDIM's, and model.scheduler = EulerDiscreteScheduler");
    FrameEditorProviderCheck.assertRejected(
        settings("shared").withValue("edit.mask-auto-probe", ConfigValueFactory.fromAnyRef(1)),
        "edit.mask-auto-probe = 1.0: 0 (along the edit) or a share of the steps below 1");
    FrameEditorProviderCheck.assertRejected(
        settings("shared").withValue("edit.mask-auto-snap", ConfigValueFactory.fromAnyRef("edges")),
        "edit.mask-auto-snap = edges: must be segments or margin");
    FrameEditorProviderCheck.assertRejected(
        settings("shared")
            .withValue("edit.mask-auto-weight", ConfigValueFactory.fromAnyRef("words")),
        "edit.mask-auto-weight = words: must be attention or none");
    FrameEditorProviderCheck.assertRejected(
        settings("shared")
            .withValue("edit.mask-auto-weight", ConfigValueFactory.fromAnyRef("attention"))
            .withValue("edit.mask-auto-probe", ConfigValueFactory.fromAnyRef(0.5)),
        "edit.mask-auto-weight = attention weighs the differences along the edit's own steps");
    FrameEditorProviderCheck.assertRejected(
        settings("shared")
            .withValue("edit.mask-auto-regions", ConfigValueFactory.fromAnyRef("largest")),
        "edit.mask-auto-regions = largest: must be strongest, all or follow");
    FrameEditorProviderCheck.assertRejected(
        settings("shared")
            .withValue("edit.mask-auto-regions", ConfigValueFactory.fromAnyRef("follow"))
            .withValue("via.enabled", ConfigValueFactory.fromAnyRef(false)),
        "edit.mask-auto-regions = follow: the frames follow the regions of Via's anchors");
    FrameEditorProviderCheck.assertRejected(
        settings("shared")
            .withValue("edit.reference-transfer", ConfigValueFactory.fromAnyRef("paint")),
        "edit.reference-transfer = paint: must be colours, colours-then-swap or swap");
    FrameEditorProviderCheck.assertRejected(
        settings("shared")
            .withValue("edit.reference", ConfigValueFactory.fromAnyRef("ref.png"))
            .withValue("edit.mask", ConfigValueFactory.fromAnyRef("auto")),
        "edit.reference-transfer = colours needs a mask given as an image or video");
  }

  static int maxDiff(byte[] a, byte[] b) {
    int m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
    return m;
  }

  /** Runs the provider's validation the way the settings check does before Spark starts. */
  static final class FrameEditorProviderCheck {
    static void assertRejected(Config c, String mention) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> FrameEditors.provider("ip2p").validate(c));
      assertTrue(e.getMessage().contains(mention), e.getMessage());
    }
  }
}
