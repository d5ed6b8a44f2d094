package dev.viaspark.via;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which attention layers gather and swap, by the UNet part their module path starts with: {@code
 * all}, or a comma-separated subset of {@code down}, {@code mid}, {@code up} ({@code via.layers});
 * self-attention always, cross-attention too when asked ({@code via.cross-attention}).
 */
public final class LayerSelection implements Predicate<String>, Serializable {
  private static final List<String> PARTS = List.of("down", "mid", "up");
  private final Set<String> parts;
  private final boolean cross;

  private LayerSelection(Set<String> parts, boolean cross) {
    this.parts = parts;
    this.cross = cross;
  }

  /** Self-attention layers of the given parts. */
  public static LayerSelection parse(String spec) {
    return parse(spec, false);
  }

  /**
   * The given parts' self-attention layers, and their cross-attention layers when {@code cross}.
   */
  public static LayerSelection parse(String spec, boolean cross) {
    String s = spec.trim();
    if (s.equals("all")) return new LayerSelection(Set.copyOf(PARTS), cross);
    Set<String> chosen = new TreeSet<>();
    for (String p : s.split(",")) {
      String part = p.trim();
      if (!PARTS.contains(part)) {
        throw new IllegalArgumentException(
            "via.layers = " + spec + ": use all, or a list of down, mid, up");
      }
      chosen.add(part);
    }
    return new LayerSelection(Set.copyOf(chosen), cross);
  }

  /**
   * Whether an attention call at {@code path} takes part: a selected part, and self-attention or
   * cross wanted.
   */
  public boolean selects(String path, boolean selfAttention) {
    return (selfAttention || cross) && test(path);
  }

  /**
   * Whether the attention module at {@code path} (e.g. {@code up_blocks.1.attentions.0...attn1}) is
   * selected.
   */
  @Override
  public boolean test(String path) {
    if (path.startsWith("down_blocks.")) return parts.contains("down");
    if (path.startsWith("mid_block.")) return parts.contains("mid");
    if (path.startsWith("up_blocks.")) return parts.contains("up");
    return false;
  }
}
