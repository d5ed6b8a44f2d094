package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;
import java.util.function.Function;

/**
 * An {@link AttentionHook} that swaps in given keys and values: for each call, {@code lookup}
 * returns the K/V to use (any number of tokens) or null to keep the module's own. The replacement
 * is moved to the call's device and dtype when they differ.
 */
public final class KvReplacer implements AttentionHook {
  private final Function<AttentionCall, KeyValue> lookup;

  public KvReplacer(Function<AttentionCall, KeyValue> lookup) {
    this.lookup = lookup;
  }

  /** Replaces with what a recorder holds for the same module and step. */
  public static KvReplacer from(KvRecorder recorder) {
    return new KvReplacer(call -> recorder.get(call.module(), call.step()));
  }

  @Override
  public KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
    KeyValue kv = lookup.apply(call);
    if (kv == null) return null;
    return new KeyValue(like(kv.key(), k), like(kv.value(), v));
  }

  private static NDArray like(NDArray replacement, NDArray original) {
    NDArray out = replacement;
    if (!out.getDevice().equals(original.getDevice()))
      out = out.toDevice(original.getDevice(), true);
    if (out.getDataType() != original.getDataType()) out = out.toType(original.getDataType(), true);
    return out;
  }
}
