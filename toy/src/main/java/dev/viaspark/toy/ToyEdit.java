package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The exact result of an instruction on a toy frame, and the pixels it should change.
 *
 * <ul>
 *   <li>"make the square blue": every square becomes blue, rendered under the frame's lighting;
 *       nothing moves, so exactly the squares' visible pixels change, each to blue times the
 *       lighting.
 *   <li>"make the background black": the background (plain, gradient or texture) becomes that plain
 *       colour, lit.
 *   <li>global edits: {@link GlobalEdit} applied to the rendered source, so lighting is already in.
 *   <li>"add stripes to the background": bands of one {@link ToyColor} that no shape has, in a
 *       {@link StripePattern}, painted over the background. This instruction has many right
 *       results; an {@code answer} (any long) picks one, the same answer giving the same stripes on
 *       every frame of a video.
 * </ul>
 */
public final class ToyEdit {
  private ToyEdit() {}

  /**
   * The scene the instruction asks for (answer 0); global edits work on pixels and leave the scene
   * as it is.
   */
  public static ToyScene edit(ToyScene scene, ToyInstruction instruction) {
    return edit(scene, instruction, 0);
  }

  /** The scene the instruction asks for, the given answer picking one where there are many. */
  public static ToyScene edit(ToyScene scene, ToyInstruction instruction, long answer) {
    return edit(scene, instruction, answer, StripeDraw.ANY);
  }

  /**
   * The scene the instruction asks for, the given answer picking one where there are many, stripes
   * drawn as {@code stripes} says.
   */
  public static ToyScene edit(
      ToyScene scene, ToyInstruction instruction, long answer, StripeDraw stripes) {
    if (instruction instanceof ToyInstruction.RecolourShape r)
      return scene.withShapeColour(r.shape(), r.colour());
    if (instruction instanceof ToyInstruction.RecolourBackground r) {
      return scene.withBackground(new ToyBackground.Plain(r.colour().rgb()));
    }
    if (instruction instanceof ToyInstruction.StripeBackground) {
      SplittableRandom rng = new SplittableRandom(answer);
      List<ToyColor> free = stripeColours(scene);
      return scene.withBackground(
          new ToyBackground.Striped(
              scene.background(), free.get(rng.nextInt(free.size())).rgb(), stripes.draw(rng)));
    }
    return scene;
  }

  /**
   * The colours stripes may take on this scene: every {@link ToyColor} that none of its shapes has.
   */
  static List<ToyColor> stripeColours(ToyScene scene) {
    return Arrays.stream(ToyColor.values())
        .filter(c -> scene.shapes().stream().noneMatch(s -> s.colour() == c))
        .toList();
  }

  /** The target frame (answer 0), {@link ToyFrame#SIZE} square. */
  public static VideoFrame apply(ToyVideo video, int frameIndex, ToyInstruction instruction) {
    return apply(video.at(frameIndex), instruction, 0, ToyFrame.SIZE, ToyFrame.SIZE);
  }

  /** The target frame at the given size, the given answer picking one where there are many. */
  public static VideoFrame apply(
      ToyFrame frame, ToyInstruction instruction, long answer, int width, int height) {
    return apply(frame, instruction, answer, width, height, StripeDraw.ANY);
  }

  private static VideoFrame apply(
      ToyFrame frame,
      ToyInstruction instruction,
      long answer,
      int width,
      int height,
      StripeDraw stripes) {
    if (instruction instanceof ToyInstruction.Global g) {
      VideoFrame source = frame.render(width, height);
      return source.withPixels(g.edit().apply(source.rgb()));
    }
    return ToyRenderer.render(
        edit(frame.scene(), instruction, answer, stripes),
        frame.lighting(),
        frame.index(),
        width,
        height);
  }

  /**
   * Per pixel (row-major), whether the instruction may change it: the visible pixels of the named
   * shapes, the visible background (recoloured, or striped: there only the bands change), or
   * everything for a global edit. Outside it the target equals the source.
   */
  public static boolean[] editRegion(
      ToyScene scene, ToyInstruction instruction, int width, int height) {
    return editRegion(scene, instruction, ToyRenderer.owners(scene, width, height));
  }

  private static boolean[] editRegion(ToyScene scene, ToyInstruction instruction, int[] owners) {
    boolean[] region = new boolean[owners.length];
    for (int p = 0; p < owners.length; p++) {
      int o = owners[p];
      if (instruction instanceof ToyInstruction.RecolourShape r) {
        region[p] = o != ToyRenderer.BACKGROUND && scene.shapes().get(o).kind() == r.shape();
      } else if (instruction instanceof ToyInstruction.RecolourBackground
          || instruction instanceof ToyInstruction.StripeBackground) {
        region[p] = o == ToyRenderer.BACKGROUND;
      } else {
        region[p] = true;
      }
    }
    return region;
  }

  /**
   * The colour every pixel of the region has in the target (instructed colour times lighting), or
   * null: a global edit, or stripes, whose colour is the answer's.
   */
  public static Rgb expectedColour(ToyFrame frame, ToyInstruction instruction) {
    ToyColor colour =
        instruction instanceof ToyInstruction.RecolourShape r
            ? r.colour()
            : instruction instanceof ToyInstruction.RecolourBackground b ? b.colour() : null;
    return colour == null ? null : colour.rgb().lit(frame.lighting());
  }

  /**
   * Source, target (answer 0), region and expected colour of the instruction on this frame, at the
   * given size.
   */
  public static ToyExample example(
      ToyFrame frame, ToyInstruction instruction, int width, int height) {
    return example(frame, instruction, 0, width, height);
  }

  /**
   * Source, target, region and expected colour of the instruction on this frame, the answer picking
   * the target.
   */
  public static ToyExample example(
      ToyFrame frame, ToyInstruction instruction, long answer, int width, int height) {
    return example(frame, instruction, answer, width, height, StripeDraw.ANY);
  }

  /** As {@link #example(ToyFrame, ToyInstruction, long, int, int)}, stripes drawn as given. */
  public static ToyExample example(
      ToyFrame frame,
      ToyInstruction instruction,
      long answer,
      int width,
      int height,
      StripeDraw stripes) {
    int[] owners = ToyRenderer.owners(frame.scene(), width, height);
    return new ToyExample(
        frame,
        instruction,
        frame.render(width, height),
        apply(frame, instruction, answer, width, height, stripes),
        owners,
        editRegion(frame.scene(), instruction, owners),
        expectedColour(frame, instruction));
  }
}
