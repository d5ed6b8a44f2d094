package dev.viaspark.toy;

import java.util.ArrayList;
import java.util.List;

/**
 * A toy scene at one instant, before lighting: a background and shapes listed back to front (a
 * later shape occludes an earlier one where they overlap). Sampled scenes hold one to three shapes
 * of distinct kinds.
 */
public record ToyScene(ToyBackground background, List<ToyShape> shapes) {
  public ToyScene {
    shapes = List.copyOf(shapes);
  }

  /** Whether some shape is of this kind. */
  public boolean contains(ShapeKind kind) {
    return shapes.stream().anyMatch(s -> s.kind() == kind);
  }

  /** The same scene with every shape of {@code kind} in colour {@code colour}. */
  public ToyScene withShapeColour(ShapeKind kind, ToyColor colour) {
    List<ToyShape> out = new ArrayList<>(shapes.size());
    for (ToyShape s : shapes) out.add(s.kind() == kind ? s.withColour(colour) : s);
    return new ToyScene(background, out);
  }

  public ToyScene withBackground(ToyBackground b) {
    return new ToyScene(b, shapes);
  }
}
