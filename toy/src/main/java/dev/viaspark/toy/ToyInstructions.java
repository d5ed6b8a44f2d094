package dev.viaspark.toy;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Which instructions apply to a scene, and a sampler of them. An instruction applies when it would
 * change something the words name: the scene has a shape of that kind not already in that colour;
 * the background is not already that plain colour and no shape has that colour (so that every shape
 * stays visible against it); stripes, when the background has none yet. Global edits always apply.
 */
public final class ToyInstructions {
  private ToyInstructions() {}

  public static boolean isApplicable(ToyScene scene, ToyInstruction instruction) {
    if (instruction instanceof ToyInstruction.RecolourShape r) {
      return scene.shapes().stream()
          .anyMatch(s -> s.kind() == r.shape() && s.colour() != r.colour());
    }
    if (instruction instanceof ToyInstruction.RecolourBackground r) {
      return !scene.background().equals(new ToyBackground.Plain(r.colour().rgb()))
          && scene.shapes().stream().noneMatch(s -> s.colour() == r.colour());
    }
    if (instruction instanceof ToyInstruction.StripeBackground) {
      return !(scene.background() instanceof ToyBackground.Striped);
    }
    return true;
  }

  /** Every instruction that applies to the scene, in {@link ToyInstruction#all()} order. */
  public static List<ToyInstruction> applicable(ToyScene scene) {
    return ToyInstruction.all().stream().filter(i -> isApplicable(scene, i)).toList();
  }

  /** A family drawn with the odds of {@link ToyFamily#weight()}. */
  public static ToyFamily family(SplittableRandom rng) {
    return FamilyOdds.STANDARD.draw(rng);
  }

  /**
   * An applicable instruction of {@code family}, uniformly, or null when none applies to the scene.
   */
  public static ToyInstruction sample(ToyScene scene, ToyFamily family, SplittableRandom rng) {
    List<ToyInstruction> of = applicable(scene).stream().filter(i -> i.family() == family).toList();
    return of.isEmpty() ? null : of.get(rng.nextInt(of.size()));
  }

  /**
   * An applicable instruction: a family by {@link #family} among those with an applicable
   * instruction, then uniformly within it. Global edits always apply, so there is always one.
   */
  public static ToyInstruction sample(ToyScene scene, SplittableRandom rng) {
    return sample(scene, FamilyOdds.STANDARD, rng);
  }

  /**
   * An applicable instruction of a family drawn with {@code odds}, or null when the families the
   * odds draw have none for this scene after a few tries.
   */
  public static ToyInstruction sample(ToyScene scene, FamilyOdds odds, SplittableRandom rng) {
    boolean globalDrawn = odds.weight(ToyFamily.GRAYSCALE) > 0 || odds.weight(ToyFamily.INVERT) > 0;
    for (int attempt = 0; globalDrawn || attempt < 16; attempt++) {
      ToyInstruction i = sample(scene, odds.draw(rng), rng);
      if (i != null) return i;
    }
    return null;
  }
}
