package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;
import java.util.List;

/**
 * How a video's stripe edit changes from frame to frame, split into the bands' colour and their
 * place: for each pair of consecutive frames, the distance between the two frames' band colours,
 * and the share of the background (the edit region's interior in both frames) that lies in a band
 * in one frame and in a gap in the other, by the pattern {@link StripeFinder} fits to each frame.
 * Bands of one colour that stay put give 0 and 0; the same bands shifted by half a period switch
 * every pixel. Where a frame has no bands the fitted pattern is arbitrary, and so is its share.
 */
public final class StripeConsistency {
  private double colourChange;
  private int colourPairs;
  private double switched;
  private int pairs;

  /** Adds the consecutive frame pairs of one video: its examples and their edited frames. */
  public void add(List<ToyExample> examples, List<VideoFrame> edited) {
    if (examples.size() != edited.size()) {
      throw new IllegalArgumentException(
          examples.size() + " examples and " + edited.size() + " edited frames");
    }
    StripeFinder.Found previous = null;
    boolean[] previousCounted = null;
    for (int i = 0; i < examples.size(); i++) {
      ToyExample example = examples.get(i);
      if (!(example.instruction() instanceof ToyInstruction.StripeBackground)) {
        throw new IllegalArgumentException(
            "\"" + example.instruction().text() + "\" paints no stripes");
      }
      VideoFrame frame = edited.get(i);
      int w = frame.width(), h = frame.height();
      boolean[] counted = ToyAccuracy.regionInterior(example.owners(), example.region(), w, h);
      StripeFinder.Found found = StripeFinder.find(example.source(), frame, counted);
      if (previous != null && found != null) {
        double distance = ToyAccuracy.distance(previous.bandColour(), found.bandColour());
        if (!Double.isNaN(distance)) {
          colourChange += distance;
          colourPairs++;
        }
        int both = 0, differ = 0;
        for (int p = 0; p < counted.length; p++) {
          if (!counted[p] || !previousCounted[p]) continue;
          double u = (p % w + 0.5) / w, v = (p / w + 0.5) / h;
          both++;
          if (previous.pattern().covers(u, v) != found.pattern().covers(u, v)) differ++;
        }
        if (both > 0) {
          switched += (double) differ / both;
          pairs++;
        }
      }
      previous = found;
      previousCounted = counted;
    }
  }

  /** Mean distance (RGB, 0-255) between consecutive frames' band colours; NaN with no pair. */
  public double meanColourChange() {
    return colourPairs == 0 ? Double.NaN : colourChange / colourPairs;
  }

  /** Mean share of the background switching between band and gap from one frame to the next. */
  public double meanSwitchedShare() {
    return pairs == 0 ? Double.NaN : switched / pairs;
  }

  public int pairs() {
    return pairs;
  }
}
