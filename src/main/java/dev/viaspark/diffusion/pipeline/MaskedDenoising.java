package dev.viaspark.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.schedulers.Schedule;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One run's {@link LatentMask}: the source the outside is pulled to, the mask at latent size
 * (given, or found over the first steps) and the pull after each step. Its arrays live on the run's
 * manager.
 */
final class MaskedDenoising {
  private static final Shape THREE = new Shape(3, 3);
  private static final Shape ONE = new Shape(1, 1);

  private final LatentMask mask;
  private final NDManager run;
  private final DataType dtype;
  private final NDArray clean;
  private final NDArray sourceNoise;
  private final long pixelsPerLatent;

  /** [B, 1, h, w], 1 where the edit may change; null until a found mask is found. */
  private NDArray latent;

  /** {@code 1 - latent}, where the pull applies. */
  private NDArray outside;

  /**
   * A found mask's evidence summed over the steps so far: |e_text - e_image| (mean over channels),
   * or the instructed branch's cross-attention to the mask's words.
   */
  private NDArray differences;

  /** A found mask's latents before dilation, [B, 1, h, w]. */
  private NDArray core;

  /**
   * @param clean the source's latents, scaled as the pipeline holds them
   * @param sourceNoise the run's initial unit noise
   * @param pixelsPerLatent the VAE's downsampling factor
   */
  MaskedDenoising(
      LatentMask mask,
      NDArray clean,
      NDArray sourceNoise,
      long pixelsPerLatent,
      NDManager run,
      DataType dtype) {
    this.mask = mask;
    this.run = run;
    this.dtype = dtype;
    this.clean = keep(clean);
    this.sourceNoise = keep(sourceNoise);
    this.pixelsPerLatent = pixelsPerLatent;
    if (!mask.isFound()) {
      Shape s = mask.pixels().getShape();
      long f = pixelsPerLatent;
      // each latent takes the largest value of its pixels: a latent any changing pixel needs may
      // change (a mean would pull the edges of small regions back; the composite keeps the
      // outside exact anyway)
      latent =
          keep(
              mask.pixels()
                  .toDevice(run.getDevice(), true)
                  .toType(dtype, false)
                  .reshape(s.get(0), 1, s.get(2) / f, f, s.get(3) / f, f)
                  .max(new int[] {5})
                  .max(new int[] {3}));
      outside = keep(latent.neg().add(1f));
    }
  }

  /** Whether step i's evidence is wanted (a found mask's first steps). */
  boolean finding(int i) {
    return mask.isFound() && latent == null && i < mask.findSteps();
  }

  /** Whether the mask's evidence is taken on the noised source before the edit starts. */
  boolean probesSource() {
    return mask.isFound() && mask.probe() > 0 && latent == null;
  }

  /** The source's latents at the noise level step {@code i} starts from (i >= 1). */
  NDArray noisedSource(int i, Schedule schedule) {
    return schedule.noisedAfterStep(clean, sourceNoise, i - 1);
  }

  /** Adds step i's {@code e_text - e_image} [B, C, h, w] as evidence (see {@link #addEvidence}). */
  void addDifference(int i, NDArray textMinusImage, int steps) {
    addEvidence(i, textMinusImage.abs().mean(new int[] {1}, true), steps);
  }

  /**
   * Adds step i's {@code e_text - e_image} [B, C, h, w] weighed by {@code weights} [B, 1, h, w]
   * (the instructed branch's cross-attention to the instruction's words) as evidence.
   */
  void addDifference(int i, NDArray textMinusImage, NDArray weights, int steps) {
    addEvidence(i, textMinusImage.abs().mean(new int[] {1}, true).mul(weights), steps);
  }

  /** Whether the branch differences are weighed by the cross-attention maps. */
  boolean weighsDifferences() {
    return mask.weighted();
  }

  /**
   * Adds step i's evidence [B, 1, h, w]; after the last find step (or the run's last step,
   * whichever comes first) the mask is made: the summed evidence as a share of each image's
   * largest, above the threshold (only its strongest connected region, if the mask says so),
   * dilated by one latent (a margin in which the edit's edge can settle, as the ramp gives it time
   * to).
   */
  void addEvidence(int i, NDArray d, int steps) {
    differences = differences == null ? keep(d) : keep(differences.add(d));
    if (i + 1 < Math.min(mask.findSteps(), steps)) return;
    Shape s = differences.getShape();
    NDArray largest = differences.reshape(s.get(0), -1).max(new int[] {1}, true);
    NDArray share = differences.div(largest.reshape(s.get(0), 1, 1, 1).add(1e-12f));
    NDArray above = share.gt(mask.threshold()).toType(dtype, false);
    if (mask.strongestRegion()) above = strongestRegion(above, share);
    core = keep(above);
    latent = keep(Pool.maxPool2d(above, THREE, ONE, ONE, false));
    outside = keep(latent.neg().add(1f));
  }

  /** {@code above} with only each image's strongest region left ({@link StrongestRegion}). */
  private NDArray strongestRegion(NDArray above, NDArray evidence) {
    Shape s = above.getShape();
    int h = (int) s.get(2), w = (int) s.get(3), n = h * w;
    float[] passed = above.toType(DataType.FLOAT32, false).toFloatArray();
    float[] values = evidence.toType(DataType.FLOAT32, false).toFloatArray();
    float[] prior = mask.prior() == null ? null : priorPerLatent(h, w);
    float[] kept =
        perImage(
            (int) s.get(0),
            n,
            b ->
                StrongestRegion.keep(
                    Arrays.copyOfRange(passed, b * n, (b + 1) * n),
                    Arrays.copyOfRange(values, b * n, (b + 1) * n),
                    prior == null ? null : Arrays.copyOfRange(prior, b * n, (b + 1) * n),
                    h,
                    w));
    return OwnedArrays.of(above.getManager(), kept, s)
        .toDevice(above.getDevice(), false)
        .toType(dtype, false);
  }

  /** The share of each latent's pixels the mask's prior covers, [B, 1, h, w] row major. */
  private float[] priorPerLatent(int h, int w) {
    Shape s = mask.prior().getShape();
    long f = pixelsPerLatent;
    if (s.get(2) != h * f || s.get(3) != w * f) {
      throw new IllegalArgumentException(
          "the mask's prior is " + s + ", the latents " + h + "x" + w + " (" + f + " pixels each)");
    }
    return mask.prior()
        .toType(DataType.FLOAT32, false)
        .reshape(s.get(0), 1, h, f, w, f)
        .mean(new int[] {5})
        .mean(new int[] {3})
        .toFloatArray();
  }

  /**
   * A found mask's region at the images' size [B, 1, H, W]: 1 on the latents it kept, before the
   * dilation; null for a given mask.
   */
  NDArray region() {
    if (!mask.isFound()) return null;
    return core.repeat(2, pixelsPerLatent).repeat(3, pixelsPerLatent);
  }

  /** {@code next} pulled outside the mask towards the source at step i's noise level. */
  NDArray blend(NDArray next, int i, Schedule schedule) {
    float pull = mask.sourceWeight(i, schedule.steps());
    if (pull == 0f || latent == null) return next;
    // next - pull (1 - m) (next - source)
    NDArray source = schedule.noisedAfterStep(clean, sourceNoise, i);
    return next.sub(next.sub(source).muli(outside).muli(pull));
  }

  /**
   * The mask at the images' size, for the final composite; a found mask drawn along the source's
   * regions ({@link SegmentSnap}) or with its margin drawn along the colours of {@code images}
   * ({@link ColourSnap}).
   *
   * @param images the source images [B, 3, H, W]
   */
  NDArray pixels(NDArray images) {
    if (!mask.isFound()) return mask.pixels();
    Shape s = latent.getShape();
    int h = (int) s.get(2), w = (int) s.get(3), f = (int) pixelsPerLatent, n = h * w;
    int pixels = n * f * f;
    float[] cores = core.toType(DataType.FLOAT32, false).toFloatArray();
    float[] dilated = latent.toType(DataType.FLOAT32, false).toFloatArray();
    float[] rgb = images.toType(DataType.FLOAT32, false).toFloatArray();
    float[] out =
        perImage(
            (int) s.get(0),
            pixels,
            b -> {
              float[] core = Arrays.copyOfRange(cores, b * n, (b + 1) * n);
              float[] source = Arrays.copyOfRange(rgb, b * 3 * pixels, (b + 1) * 3 * pixels);
              return mask.segments()
                  ? SegmentSnap.snap(core, h, w, f, source)
                  : ColourSnap.snap(
                      core, Arrays.copyOfRange(dilated, b * n, (b + 1) * n), h, w, f, source);
            });
    return OwnedArrays.of(run, out, new Shape(s.get(0), 1, (long) h * f, (long) w * f))
        .toDevice(latent.getDevice(), false)
        .toType(dtype, false);
  }

  /** The results of {@code one} for images 0 to batch - 1, each {@code size} long, end to end. */
  private static float[] perImage(int batch, int size, IntFunction<float[]> one) {
    float[] all = new float[batch * size];
    for (int b = 0; b < batch; b++) System.arraycopy(one.apply(b), 0, all, b * size, size);
    return all;
  }

  /** Moves an array made in a step's scope to the run's manager. */
  private NDArray keep(NDArray a) {
    NDScope.unregister(a);
    a.attach(run);
    return a;
  }
}
