package dev.viaspark.diffusion.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) on the attention projections: each of an attention
 * module's {@code to_q}, {@code to_k}, {@code to_v} and {@code to_out.0} computes {@code y + scale
 * * up(down(x))}, {@code down} [rank, in] and {@code up} [out, rank]. It travels with an attention
 * hook ({@link AttentionHook#adapter()}), so the shared model stays untouched and each call can
 * bring its own (test-time adaptation tunes one per video).
 *
 * <p>A fresh adapter creates its pairs on first use, from the shapes it sees: {@code down} drawn
 * from N(0, 1/rank) with a generator seeded by the seed and the projection's name (so the draw does
 * not depend on the order modules run in), {@code up} zero, so that it starts as the identity.
 * Files use PEFT's names: {@code MODULE.to_q.lora_A.weight} (down) and {@code ...lora_B.weight}
 * (up), with the rank and scale in the metadata.
 */
public final class LoraAdapter implements AttentionHook {
  /** The projections of an attention module that get an adapter. */
  public static final List<String> PROJECTIONS = List.of("to_q", "to_k", "to_v", "to_out.0");

  private final int rank;
  private final float scale;
  private final long seed;
  private final NDManager manager;
  private final boolean growing;
  private final Map<String, NDArray[]> pairs = new TreeMap<>();

  private LoraAdapter(int rank, float scale, long seed, NDManager manager, boolean growing) {
    if (rank < 1) throw new IllegalArgumentException("LoRA rank " + rank + ": must be 1 or more");
    this.rank = rank;
    this.scale = scale;
    this.seed = seed;
    this.manager = manager;
    this.growing = growing;
  }

  /**
   * An adapter that starts as the identity and creates its pairs, on {@code manager}, at the first
   * forward pass that uses it.
   */
  public static LoraAdapter fresh(int rank, long seed, NDManager manager) {
    return new LoraAdapter(rank, 1f, seed, manager, true);
  }

  /** The adapter {@link #write} wrote, its arrays on {@code manager} as {@code dtype}. */
  public static LoraAdapter read(Path file, NDManager manager, DataType dtype) {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      Map<String, String> meta = f.metadata();
      LoraAdapter a =
          new LoraAdapter(
              Integer.parseInt(meta.getOrDefault("rank", "0")),
              Float.parseFloat(meta.getOrDefault("scale", "1")),
              0,
              manager,
              false);
      for (String key : f.tensors().keySet()) {
        if (!key.endsWith(".lora_A.weight")) continue;
        String name = key.substring(0, key.length() - ".lora_A.weight".length());
        String up = name + ".lora_B.weight";
        a.pairs.put(
            name,
            new NDArray[] {
              OwnedArrays.of(manager, f.floats(key), new Shape(f.entry(key).shape()))
                  .toType(dtype, false),
              OwnedArrays.of(manager, f.floats(up), new Shape(f.entry(up).shape()))
                  .toType(dtype, false)
            });
      }
      return a;
    }
  }

  public void write(Path file) throws IOException {
    SafetensorsWriter w =
        new SafetensorsWriter()
            .metadata("rank", Integer.toString(rank))
            .metadata("scale", Float.toString(scale));
    for (Map.Entry<String, NDArray[]> e : pairs.entrySet()) {
      NDArray down = e.getValue()[0], up = e.getValue()[1];
      w.addFloats(
          e.getKey() + ".lora_A.weight", "F32", down.getShape().getShape(), down.toFloatArray());
      w.addFloats(
          e.getKey() + ".lora_B.weight", "F32", up.getShape().getShape(), up.toFloatArray());
    }
    w.write(file);
  }

  /**
   * {@code y}, the output of {@code module}'s {@code projection} for input {@code x}, plus the
   * adapter's low-rank term.
   */
  NDArray adapt(String module, String projection, NDArray x, NDArray y) {
    String name = module + "." + projection;
    NDArray[] pair = pairs.get(name);
    if (pair == null) {
      if (!growing) return y;
      pair = create(name, x.getShape().get(x.getShape().dimension() - 1), y.getShape().tail());
    }
    NDArray low = Linear.linear(x, pair[0], null).singletonOrThrow();
    NDArray delta = Linear.linear(low, pair[1], null).singletonOrThrow();
    return y.add(scale == 1f ? delta : delta.mul(scale));
  }

  private synchronized NDArray[] create(String name, long in, long out) {
    return pairs.computeIfAbsent(
        name,
        k -> {
          SplittableRandom rng =
              new SplittableRandom(seed ^ hash(name.getBytes(StandardCharsets.UTF_8)));
          float[] d = new float[(int) (rank * in)];
          double sd = 1 / Math.sqrt(rank);
          for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextGaussian() * sd);
          NDArray down = OwnedArrays.of(manager, d, new Shape(rank, in));
          NDArray up = manager.zeros(new Shape(out, rank), DataType.FLOAT32);
          NDScope.unregister(down, up); // they outlive the step that first used them
          down.setRequiresGradient(true);
          up.setRequiresGradient(true);
          return new NDArray[] {down, up};
        });
  }

  private static long hash(byte[] bytes) {
    long h = 0xcbf29ce484222325L; // FNV-1a
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The trainable arrays by their file names, in a fixed order. */
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray[]> e : pairs.entrySet()) {
      out.put(e.getKey() + ".lora_A.weight", e.getValue()[0]);
      out.put(e.getKey() + ".lora_B.weight", e.getValue()[1]);
    }
    return out;
  }

  /**
   * Stops creating pairs (projections it has none for stay as they are) and learning: the frozen
   * adapter's arrays share the tuned ones' values but require no gradients, so inference with it
   * builds no autograd graph.
   */
  public LoraAdapter frozen() {
    LoraAdapter a = new LoraAdapter(rank, scale, seed, manager, false);
    for (Map.Entry<String, NDArray[]> e : pairs.entrySet())
      a.pairs.put(
          e.getKey(),
          new NDArray[] {e.getValue()[0].stopGradient(), e.getValue()[1].stopGradient()});
    return a;
  }

  public int rank() {
    return rank;
  }

  @Override
  public KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
    return null;
  }

  @Override
  public LoraAdapter adapter() {
    return this;
  }
}
