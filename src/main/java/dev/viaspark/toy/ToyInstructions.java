package dev.viaspark.toy;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Which instructions apply to a scene, and a sampler of them. An instruction applies when it would change something
 * the words name: the scene has a shape of that kind not already in that colour; the background is not already that
 * plain colour and no shape has that colour (so that every shape stays visible against it). Global edits always apply.
 */
public final class ToyInstructions {
  /**
   * How often {@link #sample} picks a shape, background or global instruction when all three apply: shape edits are
   * the hard part (find the named shape, keep the rest) and get most of the samples.
   */
  private static final double[] KIND_WEIGHTS = {0.6, 0.25, 0.15};

  private ToyInstructions() {}

  public static boolean isApplicable(ToyScene scene, ToyInstruction instruction) {
    if (instruction instanceof ToyInstruction.RecolourShape r) {
      return scene.shapes().stream().anyMatch(s -> s.kind() == r.shape() && s.colour() != r.colour());
    }
    if (instruction instanceof ToyInstruction.RecolourBackground r) {
      return !scene.background().equals(new ToyBackground.Plain(r.colour().rgb()))
          && scene.shapes().stream().noneMatch(s -> s.colour() == r.colour());
    }
    return true;
  }

  /** Every instruction that applies to the scene, in {@link ToyInstruction#all()} order. */
  public static List<ToyInstruction> applicable(ToyScene scene) {
    return ToyInstruction.all().stream().filter(i -> isApplicable(scene, i)).toList();
  }

  /**
   * An applicable instruction: first its kind among the kinds that have one, shape, background or global with odds
   * 60 : 25 : 15, then uniformly within the kind.
   */
  public static ToyInstruction sample(ToyScene scene, SplittableRandom rng) {
    List<ToyInstruction> all = applicable(scene);
    List<List<ToyInstruction>> byKind = List.of(
        all.stream().filter(i -> i instanceof ToyInstruction.RecolourShape).toList(),
        all.stream().filter(i -> i instanceof ToyInstruction.RecolourBackground).toList(),
        all.stream().filter(i -> i instanceof ToyInstruction.Global).toList());
    double total = 0;
    for (int k = 0; k < byKind.size(); k++) total += byKind.get(k).isEmpty() ? 0 : KIND_WEIGHTS[k];
    double pick = rng.nextDouble(total);
    for (int k = 0; k < byKind.size(); k++) {
      List<ToyInstruction> kind = byKind.get(k);
      if (kind.isEmpty()) continue;
      if (pick < KIND_WEIGHTS[k] || k == byKind.size() - 1) return kind.get(rng.nextInt(kind.size()));
      pick -= KIND_WEIGHTS[k];
    }
    throw new AssertionError("global edits always apply");
  }
}
