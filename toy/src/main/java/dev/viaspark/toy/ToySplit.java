package dev.viaspark.toy;

import java.util.stream.LongStream;

/**
 * Which seeds train and which are held out for evaluation. Membership is a fixed hash of the seed
 * (about one seed in ten is held out), so it does not depend on the range a caller draws from, and
 * a held-out scene is never trained on whatever seeds the training loop walks through, as long as
 * it asks {@link #TRAIN} for them.
 */
public enum ToySplit {
  TRAIN,
  HELD_OUT;

  /** Percentage of seeds held out. */
  static final int HELD_OUT_PERCENT = 10;

  /** The split this seed belongs to. */
  public static ToySplit of(long seed) {
    return Long.remainderUnsigned(mix(seed), 100) < HELD_OUT_PERCENT ? HELD_OUT : TRAIN;
  }

  public boolean contains(long seed) {
    return of(seed) == this;
  }

  /** This split's seeds from {@code from} upwards, in increasing order. */
  public LongStream seeds(long from) {
    return LongStream.iterate(from, s -> s + 1).filter(this::contains);
  }

  /** SplitMix64's step: neighbouring seeds land far apart. */
  static long mix(long seed) {
    long z = seed + 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
