package dev.viaspark.toy;

import java.util.ArrayList;
import java.util.List;

/**
 * A toy video: a still background, shapes moving along their tracks (listed back to front) and a
 * slow lighting change, {@code frames} frames long.
 */
public record ToyVideo(
    ToyBackground background, List<ShapeTrack> tracks, ToyLighting lighting, int frames) {
  public ToyVideo {
    tracks = List.copyOf(tracks);
    if (frames < 1) throw new IllegalArgumentException("frames = " + frames + ": must be >= 1");
  }

  /** The scene at frame t (t may run past {@link #frames()}: the motion goes on). */
  public ToyScene sceneAt(int t) {
    List<ToyShape> shapes = new ArrayList<>(tracks.size());
    for (ShapeTrack track : tracks) shapes.add(track.at(t));
    return new ToyScene(background, shapes);
  }

  /** Frame t, not yet rendered. */
  public ToyFrame at(int t) {
    return new ToyFrame(t, sceneAt(t), lighting.at(t));
  }
}
