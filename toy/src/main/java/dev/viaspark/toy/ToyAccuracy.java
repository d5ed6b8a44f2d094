package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;
import java.util.HashMap;
import java.util.Map;

/**
 * Scores an edited frame against a toy example's exact target (all values on the 0-255 scale).
 *
 * <p>Colours and changes are averaged over the interior of each part of the picture (its pixels
 * whose eight neighbours belong to the same part): edge pixels mix with their neighbours in any
 * model that blurs, as a VAE does, and a metric that counted them would fail right edits of small
 * shapes.
 *
 * <p>The default thresholds come from {@code ToyAccuracyTest}, which scores stand-ins for right and
 * wrong edits on 300 held-out examples at 64x64. The stand-in for a right but imperfect model is
 * the exact target blurred by a 3x3 box and given Gaussian noise of standard deviation 8 (about 30
 * dB PSNR).
 *
 * <ul>
 *   <li>{@code colour} 40: the blurred noisy target stays within 7 of the expected colour; the
 *       unedited frame is at least 101 away, a grayscale frame at least 47. 40 is also under half
 *       the distance between the two closest palette colours under any lighting (108 / 2), so a
 *       colour that passes is nearer the instructed colour than any other palette colour.
 *   <li>{@code inside} 12 (global edits): the blurred noisy target is within 9.6 of the target; the
 *       unedited frame is at least 27 away ({@link ToyDataset} only makes examples that change
 *       their region by 24 or more). 12 asks for more than half the way there.
 *   <li>{@code outside} 10: noise of standard deviation 8 alone moves a part by 6.4 on average (7.1
 *       at most measured); recolouring another visible shape as well moves it by at least 75.
 *   <li>{@code pattern} 0.85 (stripes): share of the background's interior where "changed" and
 *       "inside a band" agree for the best-fitting {@link StripePattern} ({@link StripeFinder}).
 *       The blurred noisy target of any answer scores 0.995 or more (its bands' colour within 6 of
 *       the palette colour); the unedited frame and a plain recoloured background score 0.59 at
 *       most, noise of standard deviation 40 0.55. Stripes also need a band colour within {@code
 *       colour} of a palette colour under the frame's lighting.
 * </ul>
 *
 * <p>Stripes have many right results, so they are judged by class: a frame striped differently from
 * the example's target is as right as the target ({@link Score#insideError()} still compares with
 * the target).
 */
public final class ToyAccuracy {
  private ToyAccuracy() {}

  /**
   * When an edit counts as correct.
   *
   * @param colour largest {@link Score#colourDistance()} of a colour edit
   * @param inside largest {@link Score#insideError()} of a global edit
   * @param outside largest {@link Score#outsideChange()} of any edit
   * @param pattern smallest {@link Score#patternFit()} of stripes
   */
  public record Thresholds(double colour, double inside, double outside, double pattern) {
    /** See the class comment for where these come from. */
    public static final Thresholds DEFAULT = new Thresholds(40, 12, 10, 0.85);
  }

  /**
   * How an edited frame compares with the example.
   *
   * @param colourDistance RGB distance from the mean edited colour over the edit region's interior
   *     (the whole region when it has none) to the expected colour; for stripes, from the bands'
   *     mean colour to the nearest lit palette colour; NaN for a global edit or an empty region
   * @param insideError mean |edited - target| over the region's pixels and channels, 0 when it is
   *     empty
   * @param outsideChange the largest, over the parts outside the region (each other shape, the
   *     background), of the mean |edited - source| over the part's interior and channels; 0 when
   *     there are none. Parts too thin to have an interior are left out.
   * @param regionPixels how many pixels the region has
   * @param shapesChange as {@code outsideChange}, over the shapes outside the region only (parts
   *     labelled other than {@link ToyRenderer#BACKGROUND}): how much an edit that names one shape
   *     moved the others
   * @param patternFit for stripes, how well the changed pixels follow the best-fitting stripes (0.5
   *     for none, 1 exactly, see {@link StripeFinder}); NaN for every other instruction
   */
  public record Score(
      double colourDistance,
      double insideError,
      double outsideChange,
      int regionPixels,
      double shapesChange,
      double patternFit) {
    /**
     * Colour edits: the colour is right and the rest kept; global edits: close to the target
     * everywhere; stripes: bands of a palette colour over the background, the rest kept.
     */
    public boolean correct(Thresholds t) {
      boolean inside =
          !Double.isNaN(patternFit)
              ? patternFit >= t.pattern() && colourDistance <= t.colour()
              : Double.isNaN(colourDistance)
                  ? insideError <= t.inside()
                  : colourDistance <= t.colour();
      return inside && outsideChange <= t.outside();
    }

    public boolean correct() {
      return correct(Thresholds.DEFAULT);
    }
  }

  /** The score with the example's shapes and background as the parts outside the region. */
  public static Score score(ToyExample example, VideoFrame edited) {
    Score s =
        score(
            example.source(),
            edited,
            example.target(),
            example.owners(),
            example.region(),
            example.expectedColour());
    if (!(example.instruction() instanceof ToyInstruction.StripeBackground)) return s;
    boolean[] counted =
        regionInterior(example.owners(), example.region(), edited.width(), edited.height());
    StripeFinder.Found stripes = StripeFinder.find(example.source(), edited, counted);
    if (stripes == null)
      return new Score(
          Double.NaN, s.insideError(), s.outsideChange(), s.regionPixels(), s.shapesChange(), 0);
    double colour = Double.MAX_VALUE;
    for (ToyColor c : ToyColor.values()) {
      colour =
          Math.min(colour, distance(stripes.bandColour(), c.rgb().lit(example.frame().lighting())));
    }
    return new Score(
        colour,
        s.insideError(),
        s.outsideChange(),
        s.regionPixels(),
        s.shapesChange(),
        stripes.agreement());
  }

  /**
   * @param parts per pixel (row-major) a label of the part of the picture it shows (all zeros: one
   *     part)
   * @param region per pixel whether the instruction should change it
   * @param expectedColour the colour the region should have in the target, or null for a global
   *     edit
   */
  public static Score score(
      VideoFrame source,
      VideoFrame edited,
      VideoFrame target,
      int[] parts,
      boolean[] region,
      Rgb expectedColour) {
    int w = source.width();
    int h = source.height();
    if (edited.width() != w
        || edited.height() != h
        || target.width() != w
        || target.height() != h
        || region.length != w * h
        || parts.length != w * h) {
      throw new IllegalArgumentException(
          "source, edited, target, parts and region must all be " + w + "x" + h);
    }
    boolean[] interior = interior(labels(parts, region), w, h);

    // per label: sum of |edited - source| and pixel count over the interior
    Map<Integer, long[]> change = new HashMap<>();
    double[] regionColour = new double[3];
    int regionInterior = 0, regionPixels = 0;
    long insideError = 0;
    byte[] s = source.rgb(), e = edited.rgb(), t = target.rgb();
    for (int p = 0; p < parts.length; p++) {
      if (region[p]) {
        regionPixels++;
        insideError += absDiff(e, t, p);
        if (interior[p]) {
          regionInterior++;
          for (int c = 0; c < 3; c++) regionColour[c] += e[3 * p + c] & 0xff;
        }
      } else if (interior[p]) {
        long[] acc = change.computeIfAbsent(parts[p], k -> new long[2]);
        acc[0] += absDiff(e, s, p);
        acc[1]++;
      }
    }
    if (regionInterior == 0) regionColour = meanColour(e, region);
    else for (int c = 0; c < 3; c++) regionColour[c] /= regionInterior;
    double outside = change.values().stream().mapToDouble(a -> a[0] / (3.0 * a[1])).max().orElse(0);
    double shapes =
        change.entrySet().stream()
            .filter(c -> c.getKey() != ToyRenderer.BACKGROUND)
            .mapToDouble(c -> c.getValue()[0] / (3.0 * c.getValue()[1]))
            .max()
            .orElse(0);
    double colour =
        expectedColour == null || regionPixels == 0
            ? Double.NaN
            : distance(regionColour, expectedColour);
    return new Score(
        colour,
        regionPixels == 0 ? 0 : insideError / (3.0 * regionPixels),
        outside,
        regionPixels,
        shapes,
        Double.NaN);
  }

  /** The parts with the region as one more part of its own. */
  private static int[] labels(int[] parts, boolean[] region) {
    int[] labels = new int[parts.length];
    for (int p = 0; p < labels.length; p++) labels[p] = region[p] ? Integer.MIN_VALUE : parts[p];
    return labels;
  }

  /** The region's pixels whose eight neighbours are in the region too. */
  static boolean[] regionInterior(int[] parts, boolean[] region, int w, int h) {
    boolean[] interior = interior(labels(parts, region), w, h);
    for (int p = 0; p < interior.length; p++) interior[p] &= region[p];
    return interior;
  }

  /** Pixels whose eight neighbours (those inside the frame) carry the same label. */
  static boolean[] interior(int[] labels, int w, int h) {
    boolean[] out = new boolean[labels.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean same = true;
        for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1) && same; yy++) {
          for (int xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1) && same; xx++) {
            same = labels[yy * w + xx] == labels[y * w + x];
          }
        }
        out[y * w + x] = same;
      }
    }
    return out;
  }

  private static int absDiff(byte[] a, byte[] b, int p) {
    int sum = 0;
    for (int c = 3 * p; c < 3 * p + 3; c++) sum += Math.abs((a[c] & 0xff) - (b[c] & 0xff));
    return sum;
  }

  private static double[] meanColour(byte[] rgb, boolean[] mask) {
    double[] sum = new double[3];
    int n = 0;
    for (int p = 0; p < mask.length; p++) {
      if (!mask[p]) continue;
      for (int c = 0; c < 3; c++) sum[c] += rgb[3 * p + c] & 0xff;
      n++;
    }
    for (int c = 0; c < 3; c++) sum[c] /= n;
    return sum;
  }

  private static double distance(double[] mean, Rgb c) {
    return distance(mean, new double[] {c.r(), c.g(), c.b()});
  }

  /** Euclidean distance between two RGB means (0-255 per channel). */
  static double distance(double[] a, double[] b) {
    return Math.sqrt(
        Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
  }
}
