package dev.viaspark.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a toy scene shows behind its shapes: a colour at every scene point (u, v) of the unit
 * square.
 */
public sealed interface ToyBackground
    permits ToyBackground.Plain,
        ToyBackground.Gradient,
        ToyBackground.Texture,
        ToyBackground.Striped {
  /** The unlit colour at scene point (u, v). */
  Rgb colourAt(double u, double v);

  /** One colour everywhere. */
  record Plain(Rgb colour) implements ToyBackground {
    @Override
    public Rgb colourAt(double u, double v) {
      return colour;
    }
  }

  /**
   * A linear blend from {@code from} to {@code to} across the frame.
   *
   * @param angle direction of the blend in radians (0: left to right, pi/2: top to bottom)
   */
  record Gradient(Rgb from, Rgb to, double angle) implements ToyBackground {
    @Override
    public Rgb colourAt(double u, double v) {
      double c = Math.cos(angle);
      double s = Math.sin(angle);
      // the projection onto the direction, scaled so that the unit square's corners reach exactly 0
      // and 1
      double t = 0.5 + ((u - 0.5) * c + (v - 0.5) * s) / (Math.abs(c) + Math.abs(s));
      return Rgb.clamped(
          from.r() + (to.r() - from.r()) * t,
          from.g() + (to.g() - from.g()) * t,
          from.b() + (to.b() - from.b()) * t);
    }
  }

  /**
   * A base colour with a light luminance texture: a sum of sinusoidal waves added to every channel.
   */
  record Texture(Rgb base, List<Wave> waves) implements ToyBackground {
    public Texture {
      waves = List.copyOf(waves);
    }

    /**
     * Three waves of 2 to 12 cycles across the frame, in random directions and phases drawn from
     * {@code seed}, whose amplitudes add up to {@code amplitude} (so no pixel strays further than
     * that from the base).
     */
    public static Texture fromSeed(Rgb base, double amplitude, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[] weights = {rng.nextDouble(0.5, 1), rng.nextDouble(0.5, 1), rng.nextDouble(0.5, 1)};
      double total = weights[0] + weights[1] + weights[2];
      List<Wave> waves = new ArrayList<>();
      for (double w : weights) {
        double cycles = rng.nextDouble(2, 12);
        double direction = rng.nextDouble(0, 2 * Math.PI);
        waves.add(
            new Wave(
                cycles * Math.cos(direction),
                cycles * Math.sin(direction),
                rng.nextDouble(0, 2 * Math.PI),
                amplitude * w / total));
      }
      return new Texture(base, waves);
    }

    @Override
    public Rgb colourAt(double u, double v) {
      double d = 0;
      for (Wave w : waves) d += w.at(u, v);
      return Rgb.clamped(base.r() + d, base.g() + d, base.b() + d);
    }
  }

  /** Another background with bands of one colour painted over it. */
  record Striped(ToyBackground under, Rgb colour, StripePattern bands) implements ToyBackground {
    @Override
    public Rgb colourAt(double u, double v) {
      return bands.covers(u, v) ? colour : under.colourAt(u, v);
    }
  }

  /** amplitude * sin(2 pi (fu u + fv v) + phase), with frequencies in cycles per frame. */
  record Wave(double fu, double fv, double phase, double amplitude) {
    double at(double u, double v) {
      return amplitude * Math.sin(2 * Math.PI * (fu * u + fv * v) + phase);
    }
  }
}
