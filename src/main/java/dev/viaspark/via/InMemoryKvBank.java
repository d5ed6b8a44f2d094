package dev.viaspark.via;

import ai.djl.ndarray.NDManager;
import dev.viaspark.diffusion.attention.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A bank held in memory; its arrays belong to its own manager, closed with the bank. */
public final class InMemoryKvBank extends BankInfo {
  private final NDManager manager;
  private final List<Map<String, KeyValue>> steps;

  /**
   * @param steps per step, layer path to entry; the arrays must already belong to {@code manager}
   */
  public InMemoryKvBank(
      NDManager manager, List<Map<String, KeyValue>> steps, int branches, int[] anchorFrames) {
    super(steps.size(), branches, anchorFrames);
    this.manager = manager;
    this.steps = steps;
  }

  @Override
  public List<String> layers() {
    return steps.isEmpty() ? List.of() : new ArrayList<>(steps.get(0).keySet());
  }

  @Override
  public KeyValue get(int step, String layer) {
    return step < 0 || step >= steps.size() ? null : steps.get(step).get(layer);
  }

  /** The entries of one step, in layer order (for writing). */
  Map<String, KeyValue> step(int step) {
    return new LinkedHashMap<>(steps.get(step));
  }

  @Override
  public void close() {
    manager.close();
  }
}
