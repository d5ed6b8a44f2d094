package dev.viaspark.toy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws toy videos from a seed; the same seed always gives the same video. Ranges (scene units, the
 * frame being the unit square; pixel figures at 64x64):
 *
 * <ul>
 *   <li>background: plain, gradient or texture with equal odds, in muted colours (saturation
 *       0.2-0.5, value 0.3-0.65), at least 90 from every {@link ToyColor} in RGB; texture amplitude
 *       6-14 levels;
 *   <li>one to three shapes of distinct kinds (so "the square" names one shape), in any shape
 *       colour, half-extent 0.08-0.15 (5-10 px), breathing by up to 20% over 24-64 frames;
 *   <li>speed 0.004-0.016 per frame (0.25-1 px), in any direction, bouncing off the edges; shapes
 *       overlap freely and the list order is the depth order;
 *   <li>lighting 0.95-1.05 with a swing of 0.02-0.1 over 32-96 frames: always within 0.85-1.15, and
 *       changing by at most 2% a frame.
 * </ul>
 */
public final class ToyVideoSampler {
  /** Frames per sampled video unless asked otherwise. */
  public static final int DEFAULT_FRAMES = 24;

  private ToyVideoSampler() {}

  public static ToyVideo sample(long seed) {
    return sample(seed, DEFAULT_FRAMES);
  }

  public static ToyVideo sample(long seed, int frames) {
    SplittableRandom rng = new SplittableRandom(seed);
    ToyBackground background = background(rng);
    List<ShapeKind> kinds = new ArrayList<>(Arrays.asList(ShapeKind.values()));
    shuffle(kinds, rng);
    int count = 1 + rng.nextInt(3);
    List<ShapeTrack> tracks = new ArrayList<>();
    for (ShapeKind kind : kinds.subList(0, count)) tracks.add(track(kind, rng));
    ToyLighting lighting =
        new ToyLighting(
            rng.nextDouble(0.95, 1.05),
            rng.nextDouble(0.02, 0.1),
            rng.nextDouble(32, 96),
            rng.nextDouble(2 * Math.PI));
    return new ToyVideo(background, tracks, lighting, frames);
  }

  private static ToyBackground background(SplittableRandom rng) {
    Rgb base = mutedColour(rng);
    return switch (rng.nextInt(3)) {
      case 0 -> new ToyBackground.Plain(base);
      case 1 -> new ToyBackground.Gradient(base, mutedColour(rng), rng.nextDouble(2 * Math.PI));
      default -> ToyBackground.Texture.fromSeed(base, rng.nextDouble(6, 14), rng.nextLong());
    };
  }

  private static ShapeTrack track(ShapeKind kind, SplittableRandom rng) {
    List<ToyColor> colours = ToyColor.shapeColours();
    ToyColor colour = colours.get(rng.nextInt(colours.size()));
    double size = rng.nextDouble(0.08, 0.15);
    double scale = rng.nextDouble(0.2);
    double margin = size * (1 + scale);
    double speed = rng.nextDouble(0.004, 0.016);
    double direction = rng.nextDouble(2 * Math.PI);
    return new ShapeTrack(
        kind,
        colour,
        rng.nextDouble(margin, 1 - margin),
        rng.nextDouble(margin, 1 - margin),
        speed * Math.cos(direction),
        speed * Math.sin(direction),
        size,
        scale,
        rng.nextDouble(24, 64),
        rng.nextDouble(2 * Math.PI));
  }

  /** A colour of random hue with saturation 0.2-0.5 and value 0.3-0.65. */
  private static Rgb mutedColour(SplittableRandom rng) {
    double h = rng.nextDouble(6);
    double s = rng.nextDouble(0.2, 0.5);
    double v = rng.nextDouble(0.3, 0.65) * 255;
    double f = h - Math.floor(h);
    double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    double[] rgb =
        new double[][] {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}}[(int) h];
    return Rgb.clamped(rgb[0], rgb[1], rgb[2]);
  }

  /** Fisher-Yates with our generator (Collections.shuffle wants a java.util.Random). */
  private static <T> void shuffle(List<T> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) Collections.swap(list, i, rng.nextInt(i + 1));
  }
}
