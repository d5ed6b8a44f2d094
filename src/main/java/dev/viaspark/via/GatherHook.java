package dev.viaspark.via;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.viaspark.diffusion.attention.AttentionCall;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gather half of gather-and-swap (equations 7-8): anchors are edited one after the other, one
 * per pipeline call. In the selected attention layers (self-attention, and cross-attention if
 * selected) at steps below {@code swapSteps}, anchor i attends to the keys and values of anchors
 * 0..i-1 (not its own; anchor 0 attends to itself), and its own K/V are kept for the bank.
 */
public final class GatherHook implements AttentionHook, AutoCloseable {
  private final NDManager manager;
  private final LayerSelection layers;
  private final int swapSteps;

  /** step -> layer -> each finished anchor's K/V, in anchor order. */
  private final List<Map<String, List<KeyValue>>> finished = new ArrayList<>();

  /** step -> layer -> the current anchor's K/V. */
  private final List<Map<String, KeyValue>> current = new ArrayList<>();

  private int anchors;
  private int branches = -1;
  private final boolean attendToEarlier;

  public GatherHook(NDManager parent, LayerSelection layers, int swapSteps) {
    this(parent, layers, swapSteps, true);
  }

  /**
   * A hook that only records: each anchor attends to its own K/V, as without a hook. Guide frames
   * ({@code edit.guide}) are gathered so: each is already edited, and attending to another guide
   * would blur it.
   */
  public static GatherHook recording(NDManager parent, LayerSelection layers, int swapSteps) {
    return new GatherHook(parent, layers, swapSteps, false);
  }

  private GatherHook(
      NDManager parent, LayerSelection layers, int swapSteps, boolean attendToEarlier) {
    this.attendToEarlier = attendToEarlier;
    this.manager = parent.newSubManager();
    this.layers = layers;
    this.swapSteps = swapSteps;
    for (int t = 0; t < swapSteps; t++) {
      finished.add(new LinkedHashMap<>());
      current.add(new LinkedHashMap<>());
    }
  }

  boolean gathers(AttentionCall call) {
    return call.step() < swapSteps && layers.selects(call.module(), call.selfAttention());
  }

  @Override
  public synchronized KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
    if (!gathers(call)) return null;
    if (call.batchPerBranch() != 1) {
      throw new IllegalStateException(
          "gather edits one anchor per call, got a batch of " + call.batchPerBranch());
    }
    branches = call.branches().size();
    current.get(call.step()).put(call.module(), new KeyValue(keep(k), keep(v)));
    if (!attendToEarlier) return null;
    List<KeyValue> before = finished.get(call.step()).get(call.module());
    if (before == null || before.isEmpty()) return null;
    return concat(before);
  }

  /** The anchor just edited becomes one the next anchors attend to. */
  public synchronized void anchorDone() {
    for (int t = 0; t < swapSteps; t++) {
      for (Map.Entry<String, KeyValue> e : current.get(t).entrySet()) {
        finished.get(t).computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(e.getValue());
      }
      current.get(t).clear();
    }
    anchors++;
  }

  public synchronized int anchors() {
    return anchors;
  }

  /**
   * The bank of every finished anchor; it takes over this hook's arrays (close the bank, not the
   * hook).
   */
  public synchronized InMemoryKvBank toBank(int[] anchorFrames) {
    if (anchors != anchorFrames.length) {
      throw new IllegalStateException(
          anchors + " anchors gathered for " + anchorFrames.length + " anchor frames");
    }
    List<Map<String, KeyValue>> steps = new ArrayList<>();
    for (int t = 0; t < swapSteps; t++) {
      Map<String, KeyValue> step = new LinkedHashMap<>();
      for (Map.Entry<String, List<KeyValue>> e : finished.get(t).entrySet()) {
        try (NDScope scope = new NDScope()) {
          KeyValue all = concat(e.getValue());
          NDScope.unregister(all.key(), all.value());
          all.key().attach(manager);
          all.value().attach(manager);
          step.put(e.getKey(), all);
        }
      }
      steps.add(step);
    }
    return new InMemoryKvBank(manager, steps, Math.max(branches, 1), anchorFrames);
  }

  private static KeyValue concat(List<KeyValue> parts) {
    if (parts.size() == 1) return parts.get(0);
    NDList keys = new NDList(), values = new NDList();
    for (KeyValue kv : parts) {
      keys.add(kv.key());
      values.add(kv.value());
    }
    return new KeyValue(NDArrays.concat(keys, 1), NDArrays.concat(values, 1));
  }

  private NDArray keep(NDArray x) {
    NDArray copy = x.duplicate();
    NDScope.unregister(copy);
    copy.attach(manager);
    return copy;
  }

  /** Frees everything gathered (only when no bank was made from it). */
  @Override
  public void close() {
    manager.close();
  }
}
