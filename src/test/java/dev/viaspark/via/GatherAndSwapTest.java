package dev.viaspark.via;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.viaspark.config.ConfigLayers;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.attention.AttentionCall;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.KeyValue;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gather (equations 7-8) and swap (equation 9) on the tiny checkpoint, observed by a hook placed
 * after them.
 */
class GatherAndSwapTest {
  static final int STEPS = 3;
  static final int SWAP_STEPS = 2;
  static InstructPix2PixEditor editor;
  static NDManager manager;
  static VideoContext video =
      new VideoContext("v", "v.mp4", "make it snowy", 32, 24, 25, 12, 42, Map.of());

  @BeforeAll
  static void load() {
    Config c =
        ConfigLayers.reference()
            .withValue(
                "model.path", ConfigValueFactory.fromAnyRef(TestVectors.checkpoint().toString()))
            .withValue("edit.steps", ConfigValueFactory.fromAnyRef(STEPS));
    editor = (InstructPix2PixEditor) FrameEditors.shared("ip2p", c, Device.CPU);
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static List<VideoFrame> frames(int... indices) {
    SyntheticVideo v = new SyntheticVideo().size(32, 24);
    List<VideoFrame> out = new ArrayList<>();
    for (int i : indices) out.add(new VideoFrame(i, 32, 24, v.frameRgb(i)));
    return out;
  }

  /**
   * Keeps a copy of the k each attention call finally uses, per (anchor or batch, module, step).
   */
  static final class Spy implements AttentionHook {
    final List<Map<String, float[]>> perRun = new ArrayList<>();
    final List<Map<String, long[]>> shapes = new ArrayList<>();

    void nextRun() {
      perRun.add(new LinkedHashMap<>());
      shapes.add(new LinkedHashMap<>());
    }

    @Override
    public KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
      if (call.selfAttention()) {
        perRun.get(perRun.size() - 1).put(call.module() + "@" + call.step(), k.toFloatArray());
        shapes
            .get(shapes.size() - 1)
            .put(call.module() + "@" + call.step(), k.getShape().getShape());
      }
      return null;
    }
  }

  @Test
  void anchorIAttendsToExactlyTheKeysOfTheAnchorsBeforeIt() {
    List<VideoFrame> anchors = frames(Anchors.select(12, 3));
    Spy spy = new Spy();
    GatherHook gather = new GatherHook(manager, LayerSelection.parse("all"), SWAP_STEPS);
    for (VideoFrame a : anchors) {
      spy.nextRun();
      editor.edit(video, video.instruction(), List.of(a), gather.andThen(spy));
      gather.anchorDone();
    }
    try (InMemoryKvBank bank = gather.toBank(new int[] {0, 6, 11})) {
      assertEquals(10, bank.layers().size(), "every self-attention layer of the tiny UNet");
      for (String layer : bank.layers()) {
        for (int t = 0; t < STEPS; t++) {
          KeyValue all = bank.get(t, layer);
          if (t >= SWAP_STEPS) {
            assertNull(all, "no bank entry after the swap steps");
            for (int i = 0; i < 3; i++) {
              assertEquals(
                  spy.shapes.get(0).get(layer + "@" + t)[1],
                  spy.shapes.get(i).get(layer + "@" + t)[1],
                  "anchors attend to themselves after the swap steps");
            }
            continue;
          }
          long tokens = all.key().getShape().get(1) / 3;
          for (int i = 0; i < 3; i++) {
            long upTo = i == 0 ? tokens : i * tokens;
            float[] expected = all.key().get(new NDIndex(":, 0:{}, :", upTo)).toFloatArray();
            assertArrayEquals(
                expected,
                spy.perRun.get(i).get(layer + "@" + t),
                "anchor "
                    + i
                    + " at "
                    + layer
                    + " step "
                    + t
                    + " uses the keys of anchors "
                    + (i == 0 ? "0 (itself)" : "0.." + (i - 1)));
          }
        }
      }
    }
  }

  @Test
  void swapReplacesKeysInEveryBankLayerAndStepAndIsBatchIndependent() {
    ViaGather.Result gathered =
        ViaGather.run(
            editor,
            video,
            video.instruction(),
            frames(0, 6, 11),
            LayerSelection.parse("all"),
            SWAP_STEPS,
            manager,
            AttentionHook.NONE,
            null);
    try (InMemoryKvBank bank = gathered.bank()) {
      assertEquals(3, gathered.editedAnchors().size());
      Spy spy = new Spy();
      spy.nextRun();
      List<VideoFrame> in = frames(2, 3, 4);
      List<VideoFrame> together =
          editor.edit(video, video.instruction(), in, new SwapHook(bank).andThen(spy));
      Set<String> swapped = new HashSet<>();
      for (Map.Entry<String, float[]> e : spy.perRun.get(0).entrySet()) {
        String layer = e.getKey().substring(0, e.getKey().indexOf('@'));
        int step = Integer.parseInt(e.getKey().substring(e.getKey().indexOf('@') + 1));
        KeyValue entry = bank.get(step, layer);
        if (entry == null) {
          assertTrue(step >= SWAP_STEPS, e.getKey() + " must be swapped");
          continue;
        }
        // the batch of 3 frames sees each branch's bank entry 3 times, branch-major
        float[] expected = entry.key().repeat(0, 3).toFloatArray();
        assertArrayEquals(
            expected, e.getValue(), e.getKey() + " uses the bank's keys, not the frame's");
        swapped.add(e.getKey());
      }
      assertEquals(
          SWAP_STEPS * bank.layers().size(), swapped.size(), "every bank layer at every swap step");

      List<VideoFrame> apart =
          new ArrayList<>(
              editor.edit(video, video.instruction(), in.subList(0, 1), new SwapHook(bank)));
      apart.addAll(editor.edit(video, video.instruction(), in.subList(1, 3), new SwapHook(bank)));
      for (int i = 0; i < 3; i++) {
        int max = 0;
        for (int p = 0; p < together.get(i).rgb().length; p++) {
          max =
              Math.max(
                  max,
                  Math.abs((together.get(i).rgb()[p] & 0xff) - (apart.get(i).rgb()[p] & 0xff)));
        }
        assertTrue(max <= 1, "frame " + i + " does not depend on its batch (max diff " + max + ")");
      }
    }
  }

  @Test
  void aLayerSubsetOnlyBanksThoseLayers() {
    ViaGather.Result gathered =
        ViaGather.run(
            editor,
            video,
            video.instruction(),
            frames(0, 11),
            LayerSelection.parse("up"),
            1,
            manager,
            AttentionHook.NONE,
            null);
    try (InMemoryKvBank bank = gathered.bank()) {
      assertEquals(1, bank.steps());
      assertTrue(
          bank.layers().stream().allMatch(l -> l.startsWith("up_blocks.")),
          bank.layers().toString());
      assertNotNull(bank.get(0, bank.layers().get(0)));
    }
  }

  @Test
  void crossAttentionIsBankedOnRequestAndIsANoOpForOneInstruction() {
    ViaGather.Result selfOnly =
        ViaGather.run(
            editor,
            video,
            video.instruction(),
            frames(0, 11),
            LayerSelection.parse("all"),
            1,
            manager,
            AttentionHook.NONE,
            null);
    ViaGather.Result withCross =
        ViaGather.run(
            editor,
            video,
            video.instruction(),
            frames(0, 11),
            LayerSelection.parse("all", true),
            1,
            manager,
            AttentionHook.NONE,
            null);
    try (InMemoryKvBank a = selfOnly.bank();
        InMemoryKvBank b = withCross.bank()) {
      assertTrue(a.layers().stream().allMatch(l -> l.endsWith(".attn1")), a.layers().toString());
      assertTrue(b.layers().stream().anyMatch(l -> l.endsWith(".attn2")), b.layers().toString());
      assertEquals(2 * a.layers().size(), b.layers().size());
      // both anchors had the same instruction: the banked text keys are the same 2 anchors x 77
      // tokens repeated, and
      // attending to a repeated set of keys gives the same weights as attending to it once
      List<VideoFrame> in = frames(5);
      VideoFrame x = editor.edit(video, video.instruction(), in, new SwapHook(a)).get(0);
      SwapHook swapB = new SwapHook(b);
      int[] crossSwaps = {0};
      AttentionHook counting =
          (call, q, k, v) -> {
            KeyValue r = swapB.apply(call, q, k, v);
            if (r != null && !call.selfAttention()) crossSwaps[0]++;
            return r;
          };
      VideoFrame y = editor.edit(video, video.instruction(), in, counting).get(0);
      assertEquals(
          b.layers().size() / 2,
          crossSwaps[0],
          "every cross-attention layer swapped at the one swap step");
      int max = 0;
      for (int p = 0; p < x.rgb().length; p++)
        max = Math.max(max, Math.abs((x.rgb()[p] & 0xff) - (y.rgb()[p] & 0xff)));
      assertTrue(max <= 1, "max difference " + max);
    }
  }
}
