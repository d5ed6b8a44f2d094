package dev.viaspark.diffusion.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Runs modules one after another on a tensor. Each module runs in its own {@link NDScope}, so its
 * temporaries are freed as soon as it returns, and each intermediate output is closed once the next
 * module has consumed it: at 512x512 the VAE's activations are hundreds of MB each. The chain's
 * input belongs to the caller and is never closed; its result belongs to the caller too (registered
 * in no scope).
 */
final class Chain {
  /** Receives {@code (module path, output)}; the output is only valid during the call. */
  static final BiConsumer<String, NDArray> NO_PROBE = (module, output) -> {};

  private final String path;
  private final BiConsumer<String, NDArray> probe;
  private NDArray current;
  private boolean owned;

  /**
   * @param path the module path the names given to {@link #then(String, UnaryOperator)} are
   *     relative to
   */
  Chain(String path, NDArray input, BiConsumer<String, NDArray> probe) {
    this.path = path;
    this.probe = probe;
    this.current = input;
  }

  Chain(NDArray input) {
    this("", input, NO_PROBE);
  }

  /** Applies a module and shows its output to the probe as {@code path.module}. */
  Chain then(String module, UnaryOperator<NDArray> forward) {
    then(forward);
    probe.accept(path.isEmpty() ? module : path + "." + module, current);
    return this;
  }

  Chain then(UnaryOperator<NDArray> forward) {
    NDArray out;
    try (NDScope scope = new NDScope()) {
      out = forward.apply(current);
      NDScope.unregister(out);
    } catch (RuntimeException e) {
      if (owned) current.close();
      throw e;
    }
    if (owned) current.close();
    current = out;
    owned = true;
    return this;
  }

  NDArray result() {
    return current;
  }
}
