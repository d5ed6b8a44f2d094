package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionCall;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.AttentionProbabilities;
import dev.viaspark.diffusion.attention.GuidanceBranch;
import dev.viaspark.diffusion.attention.KeyValue;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.nn.Scalars;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyInstruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A grounding loss on the UNet's cross-attention, after TokenCompose (Wang et al., CVPR 2024): the
 * words that name what an instruction edits ("circle" and "red" in "make the circle red",
 * "background" and "black" in "make the background black") should be attended to by the latent
 * pixels of the edit region, not by the rest of the frame. Per cross-attention layer of at least
 * {@link #MIN_SIDE} latent pixels a side, and per grounded word, the share of the word's attention
 * (mean over heads) that falls inside the region is computed; the loss is the mean of (1 - share)²
 * over layers, words and the batch's grounded examples.
 *
 * <p>Why: the toy models v7 to v10 never tied a shape's word to the shape. Their text encoders
 * output nearly the same vector at the shape word for "circle", "square" and "triangle" (cosine
 * 0.998; 0.5-0.6 between colour words), so nothing downstream could tell the shapes apart, and the
 * diffusion loss alone gave no gradient to separate them. This loss does: the three words must be
 * attended to from different places.
 *
 * <p>The loss is taken on a forward pass of its own whose latents are the <em>source's</em>, noised
 * as the training pass noises the target's: on the target's, the named shape already shows its new
 * colour, and a model (v11) learnt to find it by that colour rather than by the word, which is of
 * no use when editing, where the colour has yet to appear ({@code CrossAttentionProbe}).
 *
 * <p>Used as the {@link AttentionHook} of that forward pass: it records the terms while the UNet
 * runs (in the autograd graph) and {@link #loss()} adds them up.
 */
final class AttentionGrounding implements AttentionHook {
  static final int MIN_SIDE = 8;
  private static final int WORDS = 2;

  private final NDArray selector;
  private final NDArray weights;
  private final float grounded;
  private final Map<Long, NDArray> regions;
  private final NDArray sourceLatents;
  private final List<NDArray> terms = new ArrayList<>();

  private AttentionGrounding(
      NDArray selector,
      NDArray weights,
      float grounded,
      Map<Long, NDArray> regions,
      NDArray sourceLatents) {
    this.selector = selector;
    this.weights = weights;
    this.grounded = grounded;
    this.regions = regions;
    this.sourceLatents = sourceLatents;
  }

  /**
   * The grounding of one batch, or null when none of its examples has words to ground.
   *
   * @param ids the batch's token ids as the text encoder gets them
   * @param grounded per example, whether to ground it (one that lost its instruction or its image
   *     cannot be)
   * @param sourceLatents the source frames' latents, scaled as the target's are [B, channels, side,
   *     side]
   */
  static AttentionGrounding of(
      NDManager m,
      List<ToyExample> batch,
      int[][] ids,
      boolean[] grounded,
      ClipTokenizer tokenizer,
      NDArray sourceLatents) {
    int latentSide = (int) sourceLatents.getShape().get(2);
    int b = batch.size();
    int tokens = ids[0].length;
    float[] select = new float[b * tokens * WORDS];
    float[] weight = new float[b * WORDS];
    int count = 0;
    for (int i = 0; i < b; i++) {
      if (!grounded[i]) continue;
      List<String> words = groundedWords(batch.get(i).instruction());
      for (int w = 0; w < words.size(); w++) {
        int position = position(ids[i], tokenizer, words.get(w));
        select[(i * tokens + position) * WORDS + w] = 1;
        weight[i * WORDS + w] = 1;
        count++;
      }
    }
    if (count == 0) return null;
    Map<Long, NDArray> regions = new HashMap<>();
    for (int side = latentSide; side >= MIN_SIDE; side /= 2) {
      float[] shares = new float[b * side * side];
      for (int i = 0; i < b; i++) {
        float[] s = regionShares(batch.get(i), side);
        System.arraycopy(s, 0, shares, i * side * side, s.length);
      }
      regions.put((long) side * side, OwnedArrays.of(m, shares, new Shape(b, side * side, 1)));
    }
    return new AttentionGrounding(
        OwnedArrays.of(m, select, new Shape(b, tokens, WORDS)),
        OwnedArrays.of(m, weight, new Shape(b, WORDS)),
        count,
        regions,
        sourceLatents);
  }

  /** The source frames' latents, scaled: the grounding pass noises them. */
  NDArray sourceLatents() {
    return sourceLatents;
  }

  /**
   * The words naming what the instruction edits: none for an edit of the whole frame. The stripes
   * are grounded on the whole visible background, where they may be painted (their bands are a part
   * of it that differs per right answer).
   */
  static List<String> groundedWords(ToyInstruction instruction) {
    if (instruction instanceof ToyInstruction.RecolourShape r) {
      return List.of(word(r.shape().name()), word(r.colour().name()));
    }
    if (instruction instanceof ToyInstruction.RecolourBackground r) {
      return List.of("background", word(r.colour().name()));
    }
    if (instruction instanceof ToyInstruction.StripeBackground) {
      return List.of("stripes", "background");
    }
    return List.of();
  }

  private static String word(String enumName) {
    return enumName.toLowerCase(Locale.ROOT);
  }

  private static int position(int[] ids, ClipTokenizer tokenizer, String word) {
    int[] alone = tokenizer.encode(word);
    for (int p = 1; p < ids.length; p++) if (ids[p] == alone[1]) return p;
    throw new IllegalArgumentException("the instruction has no token for \"" + word + "\"");
  }

  /** Per latent pixel of a side x side grid (row-major), the share of its block in the region. */
  static float[] regionShares(ToyExample example, int side) {
    int width = example.source().width(), height = example.source().height();
    if (width % side != 0 || height % side != 0) {
      throw new IllegalArgumentException(
          "frame " + width + "x" + height + " is not a multiple of " + side);
    }
    int fx = width / side, fy = height / side;
    float[] shares = new float[side * side];
    boolean[] region = example.region();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (region[y * width + x]) shares[(y / fy) * side + x / fx] += 1f / (fx * fy);
      }
    }
    return shares;
  }

  /** The attention context of the forward pass that records this loss. */
  AttentionContext context(int batch) {
    return new AttentionContext(this, 0, 0f, List.of(GuidanceBranch.TEXT_IMAGE), batch, 0);
  }

  @Override
  public KeyValue apply(AttentionCall call, NDArray q, NDArray k, NDArray v) {
    if (call.selfAttention()) return null;
    NDArray region = regions.get(q.getShape().get(1));
    if (region == null) return null;
    NDArray attention = AttentionProbabilities.meanOverHeads(q, k, call.heads()).matMul(selector);
    NDArray inside =
        attention.mul(region).sum(new int[] {1}).div(attention.sum(new int[] {1}).add(1e-6f));
    terms.add(Scalars.div(inside.neg().add(1f).square().mul(weights).sum(), grounded));
    return null;
  }

  /** The mean of the terms recorded by the forward pass. */
  NDArray loss() {
    if (terms.isEmpty()) throw new IllegalStateException("no cross-attention layer was grounded");
    NDArray sum = terms.get(0);
    for (int i = 1; i < terms.size(); i++) sum = sum.add(terms.get(i));
    return Scalars.div(sum, terms.size());
  }
}
