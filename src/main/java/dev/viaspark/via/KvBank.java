package dev.viaspark.via;

import dev.viaspark.diffusion.attention.KeyValue;
import java.util.List;

/**
 * A video's K/V bank: for each swapped step and selected self-attention layer, the keys and values
 * of every anchor concatenated along tokens, [branches, anchors x tokens, inner], branches in UNet
 * batch order.
 */
public interface KvBank extends AutoCloseable {
  /** Steps held: 0 .. steps()-1. */
  int steps();

  /** The guidance branches of each entry (1 without guidance, 3 with). */
  int branches();

  int[] anchorFrames();

  /** The attention module paths held. */
  List<String> layers();

  /** The entry of {@code layer} at {@code step}, or null when the bank does not hold it. */
  KeyValue get(int step, String layer);

  @Override
  void close();
}
