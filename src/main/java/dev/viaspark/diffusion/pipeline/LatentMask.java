package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Local latent adaptation (Via, section 4.1): the part of each image an edit may change, and how
 * the rest is held to the source. After each denoising step the latents outside the mask are pulled
 * towards the source's latents at that step's noise level, with a weight that ramps from 0 to 1
 * over part of the run (progressive boundary integration: blending only at the end leaves seams at
 * the mask's edge, full blending from the first step leaves the model no room to fit the edit to
 * its surroundings). Inside the mask the edit runs freely.
 *
 * <p>The mask is given ({@link #given}) or found by the model itself: where the instructed guidance
 * branch's noise prediction differs from the image-only branch's over the first steps ({@link
 * #found}: DiffEdit's idea on InstructPix2Pix's branches), or where the instructed branch's
 * cross-attention looks at some of the instruction's words ({@link #attending}: Prompt-to-Prompt's
 * local blend); neither costs an extra UNet call, unless a found mask probes the noised source
 * ({@link #probe}).
 *
 * @param pixels [B, 1, H, W] at the images' size, 1 where the edit may change the image, 0 where it
 *     must not, values between blend; null for a found mask
 * @param findSteps for a found mask, the steps whose branch differences make it (0 for given)
 * @param threshold for a found mask, the share of each image's largest difference above which a
 *     latent may change
 * @param strongestRegion for a found mask, whether only the connected region above the threshold
 *     with the highest mean evidence is kept (an instruction that names one thing), rather than
 *     every region
 * @param rampStart the fraction of the steps after which the pull starts (a found mask's pull
 *     starts after its find steps at the earliest)
 * @param rampLength the fraction of the steps over which it grows to full (0: at once)
 * @param words for a mask found by attention, the words whose cross-attention maps make it (empty:
 *     every word of the instruction); null for a mask found by branch differences, or given
 * @param prior for a found mask that keeps its strongest region, [B, 1, H, W] at the images' size:
 *     the region to follow (the one a nearby frame kept, carried onto this image), kept instead of
 *     the strongest when a region overlaps it ({@link StrongestRegion}); null for none
 * @param probe for a mask found by branch differences: 0 to take them along the edit's own first
 *     steps; in (0, 1) to take them, before the edit starts, on the source's latents noised to the
 *     step at that share of the run (DiffEdit's way: the branches then see the source itself), for
 *     {@code findSteps} steps from there, each one UNet call more
 * @param segments for a found mask, whether the final composite's mask follows the source's own
 *     regions ({@link SegmentSnap}) rather than the found latents with a margin drawn by colour
 *     ({@link ColourSnap}). Either way the decoded image takes the source's own pixels outside the
 *     mask, so they come out exactly as they went in (the VAE's round trip alone changes them a
 *     little).
 * @param weighted for a mask found by branch differences, whether each step's differences are
 *     weighed by the instructed branch's cross-attention to the instruction's words ({@link
 *     #weighedByAttention}); its {@code words} are then the empty list (every word)
 */
public record LatentMask(
    NDArray pixels,
    int findSteps,
    float threshold,
    boolean strongestRegion,
    float rampStart,
    float rampLength,
    List<String> words,
    NDArray prior,
    float probe,
    boolean segments,
    boolean weighted) {
  public LatentMask {
    if (weighted && (pixels != null || words == null || !words.isEmpty())) {
      throw new IllegalArgumentException(
          "only a mask found by branch differences weighs them by the attention to every word");
    }
    if (!(probe >= 0 && probe < 1) || (probe > 0 && (pixels != null || words != null))) {
      throw new IllegalArgumentException(
          "only a mask found by branch differences probes the source, at a share of the steps in"
              + " [0, 1), got "
              + probe);
    }
    if (pixels != null && (pixels.getShape().dimension() != 4 || pixels.getShape().get(1) != 1)) {
      throw new IllegalArgumentException("a mask is [B, 1, H, W], got " + pixels.getShape());
    }
    if (pixels == null && (findSteps < 1 || !(threshold > 0 && threshold < 1))) {
      throw new IllegalArgumentException(
          "a found mask needs at least 1 step and a threshold in (0, 1), got "
              + findSteps
              + " and "
              + threshold);
    }
    if (prior != null && (pixels != null || !strongestRegion)) {
      throw new IllegalArgumentException("only a found mask keeping one region follows a prior");
    }
    if (!(rampStart >= 0 && rampStart <= 1 && rampLength >= 0 && rampLength <= 1)) {
      throw new IllegalArgumentException(
          "the mask's ramp start and length are fractions of the steps in [0, 1], got "
              + rampStart
              + " and "
              + rampLength);
    }
  }

  /** A mask the caller gives. */
  public static LatentMask given(NDArray pixels, float rampStart, float rampLength) {
    return new LatentMask(
        pixels, 0, 0f, false, rampStart, rampLength, null, null, 0f, false, false);
  }

  /** A mask the model finds over its first {@code findSteps} steps. */
  public static LatentMask found(
      int findSteps, float threshold, boolean strongestRegion, float rampStart, float rampLength) {
    return new LatentMask(
        null,
        findSteps,
        threshold,
        strongestRegion,
        rampStart,
        rampLength,
        null,
        null,
        0f,
        false,
        false);
  }

  /**
   * A mask found over the first {@code findSteps} steps from the instructed branch's
   * cross-attention to {@code words} (empty: every word of the instruction).
   */
  public static LatentMask attending(
      List<String> words,
      int findSteps,
      float threshold,
      boolean strongestRegion,
      float rampStart,
      float rampLength) {
    return new LatentMask(
        null,
        findSteps,
        threshold,
        strongestRegion,
        rampStart,
        rampLength,
        List.copyOf(words),
        null,
        0f,
        false,
        false);
  }

  /** This found mask following {@code prior} [B, 1, H, W] (see {@link #prior}). */
  public LatentMask following(NDArray prior) {
    return withFinding(words, prior, probe, segments, weighted);
  }

  /** This found mask with its evidence taken on the noised source (see {@link #probe}). */
  public LatentMask probing(float share) {
    return withFinding(words, prior, share, segments, weighted);
  }

  /**
   * This found mask drawn at the images' size along the source's own regions ({@link SegmentSnap})
   * when {@code snap}, else along its latents with a colour-snapped margin ({@link ColourSnap}).
   */
  public LatentMask snappedToSegments(boolean snap) {
    if (snap && !isFound()) {
      throw new IllegalArgumentException("only a found mask is snapped to the source's regions");
    }
    return withFinding(words, prior, probe, snap, weighted);
  }

  /**
   * This mask found by branch differences with each step's differences weighed, latent by latent,
   * by the instructed branch's cross-attention to every word of the instruction: where the branches
   * differ and the model looks at what the instruction says. Taken along the edit's own steps (no
   * probe).
   */
  public LatentMask weighedByAttention() {
    if (!isFound() || byAttention() || probe > 0) {
      throw new IllegalArgumentException(
          "only a mask found by branch differences along the edit's steps is weighed by attention");
    }
    return withFinding(List.of(), prior, probe, segments, true);
  }

  /** This mask with how it is found and drawn replaced; the constructor checks the combination. */
  private LatentMask withFinding(
      List<String> words, NDArray prior, float probe, boolean segments, boolean weighted) {
    return new LatentMask(
        pixels,
        findSteps,
        threshold,
        strongestRegion,
        rampStart,
        rampLength,
        words,
        prior,
        probe,
        segments,
        weighted);
  }

  /** The step the source is probed at first, of {@code steps}: at least 1, at most the last. */
  int firstProbeStep(int steps) {
    return Math.max(1, Math.min(steps - 1, Math.round(probe * steps)));
  }

  /**
   * Whether the mask's evidence comes from cross-attention maps: alone, or weighing the branch
   * differences ({@link #weighted}).
   */
  public boolean byAttention() {
    return words != null;
  }

  public boolean isFound() {
    return pixels == null;
  }

  /** The source's weight outside the mask after step {@code i} of {@code steps}. */
  public float sourceWeight(int i, int steps) {
    float start = Math.max(rampStart * steps, findSteps);
    float done = (i + 1) - start;
    if (rampLength == 0) return done > 0 ? 1f : 0f;
    return Math.max(0f, Math.min(1f, done / (rampLength * steps)));
  }
}
