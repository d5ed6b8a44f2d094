package dev.viaspark.via;

import ai.djl.ndarray.NDArray;
import dev.viaspark.diffusion.attention.AttentionCall;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.KeyValue;

/**
 * The swap half of gather-and-swap (equation 9): every frame attends, in each attention layer the
 * bank holds and at each step below the bank's, to the bank's keys and values instead of its own,
 * in every guidance branch. Each branch's entry is repeated for the frames of the batch
 * (branch-major, as the UNet batch is laid out).
 */
public final class SwapHook implements AttentionHook {
  private final KvBank bank;

  public SwapHook(KvBank bank) {
    this.bank = bank;
  }

  @Override
  public KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
    if (call.step() >= bank.steps()) return null; // the bank holds the layers that were gathered
    KeyValue kv = bank.get(call.step(), call.module());
    if (kv == null) return null;
    if (kv.key().getShape().get(0) != call.branches().size()) {
      throw new IllegalStateException(
          "the K/V bank was gathered with "
              + kv.key().getShape().get(0)
              + " guidance branches, this edit runs "
              + call.branches().size()
              + " (same guidance settings needed)");
    }
    return new KeyValue(
        forBatch(kv.key(), k, call.batchPerBranch()),
        forBatch(kv.value(), v, call.batchPerBranch()));
  }

  private static NDArray forBatch(NDArray entry, NDArray like, int perBranch) {
    NDArray x = entry;
    if (!x.getDevice().equals(like.getDevice())) x = x.toDevice(like.getDevice(), true);
    if (x.getDataType() != like.getDataType()) x = x.toType(like.getDataType(), true);
    // repeat each branch's row perBranch times: [b0, b0, b1, b1, ...], the UNet batch's order
    return perBranch == 1 ? x : x.repeat(0, perBranch);
  }
}
