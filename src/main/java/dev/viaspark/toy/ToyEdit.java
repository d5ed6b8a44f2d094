package dev.viaspark.toy;

import dev.viaspark.video.VideoFrame;

/**
 * The exact result of an instruction on a toy frame, and the pixels it should change.
 *
 * <ul>
 *   <li>"make the square blue": every square becomes blue, rendered under the frame's lighting; nothing moves, so
 *       exactly the squares' visible pixels change, each to blue times the lighting.
 *   <li>"make the background black": the background (plain, gradient or texture) becomes that plain colour, lit.
 *   <li>global edits: {@link GlobalEdit} applied to the rendered source, so lighting is already in.
 * </ul>
 */
public final class ToyEdit {
  private ToyEdit() {}

  /** The scene the instruction asks for; global edits work on pixels and leave the scene as it is. */
  public static ToyScene edit(ToyScene scene, ToyInstruction instruction) {
    if (instruction instanceof ToyInstruction.RecolourShape r) return scene.withShapeColour(r.shape(), r.colour());
    if (instruction instanceof ToyInstruction.RecolourBackground r) {
      return scene.withBackground(new ToyBackground.Plain(r.colour().rgb()));
    }
    return scene;
  }

  /** The target frame, {@link ToyFrame#SIZE} square. */
  public static VideoFrame apply(ToyVideo video, int frameIndex, ToyInstruction instruction) {
    return apply(video.at(frameIndex), instruction, ToyFrame.SIZE, ToyFrame.SIZE);
  }

  /** The target frame at the given size. */
  public static VideoFrame apply(ToyFrame frame, ToyInstruction instruction, int width, int height) {
    if (instruction instanceof ToyInstruction.Global g) {
      VideoFrame source = frame.render(width, height);
      return source.withPixels(g.edit().apply(source.rgb()));
    }
    return ToyRenderer.render(edit(frame.scene(), instruction), frame.lighting(), frame.index(), width, height);
  }

  /**
   * Per pixel (row-major), whether the instruction should change it: the visible pixels of the named shapes, the
   * visible background, or everything for a global edit. Outside it the target equals the source.
   */
  public static boolean[] editRegion(ToyScene scene, ToyInstruction instruction, int width, int height) {
    return editRegion(scene, instruction, ToyRenderer.owners(scene, width, height));
  }

  private static boolean[] editRegion(ToyScene scene, ToyInstruction instruction, int[] owners) {
    boolean[] region = new boolean[owners.length];
    for (int p = 0; p < owners.length; p++) {
      int o = owners[p];
      if (instruction instanceof ToyInstruction.RecolourShape r) {
        region[p] = o != ToyRenderer.BACKGROUND && scene.shapes().get(o).kind() == r.shape();
      } else if (instruction instanceof ToyInstruction.RecolourBackground) {
        region[p] = o == ToyRenderer.BACKGROUND;
      } else {
        region[p] = true;
      }
    }
    return region;
  }

  /** The colour every pixel of the region has in the target (instructed colour times lighting), or null (global). */
  public static Rgb expectedColour(ToyFrame frame, ToyInstruction instruction) {
    ToyColor colour = instruction instanceof ToyInstruction.RecolourShape r ? r.colour()
        : instruction instanceof ToyInstruction.RecolourBackground b ? b.colour() : null;
    return colour == null ? null : colour.rgb().lit(frame.lighting());
  }

  /** Source, target, region and expected colour of the instruction on this frame, at the given size. */
  public static ToyExample example(ToyFrame frame, ToyInstruction instruction, int width, int height) {
    int[] owners = ToyRenderer.owners(frame.scene(), width, height);
    return new ToyExample(frame, instruction, frame.render(width, height), apply(frame, instruction, width, height),
        owners, editRegion(frame.scene(), instruction, owners), expectedColour(frame, instruction));
  }
}
