package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An {@link AttentionHook} that keeps a copy of k and v of the attention calls it selects, keyed by
 * module path and step, and changes nothing. The copies live on the recorder's own manager, outside
 * any step scope; close the recorder to free them.
 */
public final class KvRecorder implements AttentionHook, AutoCloseable {
  private final NDManager manager;
  private final Predicate<AttentionCall> select;
  private final Map<String, KeyValue> recorded = new LinkedHashMap<>();

  public KvRecorder(NDManager parent, Predicate<AttentionCall> select) {
    this.manager = parent.newSubManager();
    this.select = select;
  }

  /** Records the self-attention ({@code attn1}) of every transformer block. */
  public static KvRecorder selfAttention(NDManager parent) {
    return new KvRecorder(parent, AttentionCall::selfAttention);
  }

  public static String key(String module, int step) {
    return module + "@" + step;
  }

  @Override
  public synchronized KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
    if (select.test(call))
      recorded.put(key(call.module(), call.step()), new KeyValue(keep(k), keep(v)));
    return null;
  }

  private NDArray keep(NDArray x) {
    NDArray copy = x.duplicate();
    NDScope.unregister(copy);
    copy.attach(manager);
    return copy;
  }

  /** What was recorded, by {@link #key(String, int)}, in call order. */
  public synchronized Map<String, KeyValue> recorded() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(recorded));
  }

  public synchronized KeyValue get(String module, int step) {
    return recorded.get(key(module, step));
  }

  @Override
  public void close() {
    manager.close();
  }
}
