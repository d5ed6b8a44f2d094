package dev.viaspark.metrics;

import java.io.Serializable;

/**
 * Temporal-consistency scores of an edited video (or of a run of its frames), each the mean over
 * consecutive frame pairs of a per-pair mean absolute difference on the 0-255 RGB scale.
 *
 * @param warpError mean |warp(output t-1) - output t| over the pixels whose source motion is
 *     trusted (see {@link TemporalMetrics}); what the edit adds to it over {@code sourceWarpError}
 *     is flicker it introduced
 * @param sourceWarpError the same with the source frames: the floor a perfect edit can reach (flow
 *     and interpolation are not exact)
 * @param frameDiff mean |output t - output t-1| without motion compensation
 * @param sourceFrameDiff mean |source t - source t-1|
 * @param pairs how many frame pairs were scored; all scores are 0 when there are none
 */
public record TemporalScores(
    double warpError, double sourceWarpError, double frameDiff, double sourceFrameDiff, int pairs)
    implements Serializable {
  /** No pairs scored (one frame or none). */
  public static final TemporalScores NONE = new TemporalScores(0, 0, 0, 0, 0);

  public TemporalScores {
    if (pairs < 0) throw new IllegalArgumentException("pairs = " + pairs + ": must be >= 0");
  }

  /** The scores of both runs of pairs together: each mean weighted by its number of pairs. */
  public TemporalScores merge(TemporalScores other) {
    if (other.pairs == 0) return this;
    if (pairs == 0) return other;
    return new TemporalScores(
        weighted(warpError, other.warpError, other.pairs),
        weighted(sourceWarpError, other.sourceWarpError, other.pairs),
        weighted(frameDiff, other.frameDiff, other.pairs),
        weighted(sourceFrameDiff, other.sourceFrameDiff, other.pairs),
        pairs + other.pairs);
  }

  private double weighted(double mine, double theirs, int theirPairs) {
    return (mine * pairs + theirs * theirPairs) / (pairs + theirPairs);
  }
}
