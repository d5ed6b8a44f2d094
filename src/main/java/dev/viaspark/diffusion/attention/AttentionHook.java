package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;

/**
 * Called by every {@code Attention} module with its projected q, k and v ([batch, tokens, inner],
 * before the head split). Returning null keeps k and v; returning a {@link KeyValue} replaces them
 * (any number of tokens, same batch and inner size). The hook runs inside the step's NDArray scope:
 * copy what must outlive the step. A hook may also carry low-rank adapters for the projections that
 * make q, k, v and the output ({@link #adapter()}).
 */
@FunctionalInterface
public interface AttentionHook {
  AttentionHook NONE = (call, q, k, v) -> null;

  KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v);

  /** The adapters the attention projections apply during this call, or null for none. */
  default LoraAdapter adapter() {
    return null;
  }

  /** A hook with this hook's adapters that leaves every k and v as they are. */
  default AttentionHook adapterOnly() {
    LoraAdapter adapter = adapter();
    return adapter == null ? NONE : adapter; // an adapter, as a hook, replaces no k or v
  }

  /**
   * This hook, then {@code next} on the (possibly replaced) k and v; the adapter is this hook's,
   * else {@code next}'s.
   */
  default AttentionHook andThen(AttentionHook next) {
    AttentionHook self = this;
    return new AttentionHook() {
      @Override
      public KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
        KeyValue first = self.apply(call, q, k, v);
        NDArray k1 = first == null ? k : first.key(), v1 = first == null ? v : first.value();
        KeyValue second = next.apply(call, q, k1, v1);
        return second != null ? second : first;
      }

      @Override
      public LoraAdapter adapter() {
        return self.adapter() != null ? self.adapter() : next.adapter();
      }
    };
  }
}
