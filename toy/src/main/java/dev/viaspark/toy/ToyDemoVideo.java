package dev.viaspark.toy;

import dev.viaspark.video.SyntheticVideo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The demo's sample: a toy video (moving shapes the bundled model was trained on, at its 64x64
 * size) that the model never saw, and an instruction from the toy grammar that applies to every
 * frame of it.
 *
 * @param seed the first held-out seed whose video has a circle, at least {@link #MIN_SHAPES} shapes
 *     that never touch (so that every frame shows each shape whole, and the eye can check the edit)
 *     and a circle that the instruction changes in every frame
 */
public record ToyDemoVideo(long seed, ToyVideo video, ToyInstruction instruction) {
  public static final int FPS = 25;
  public static final int FRAMES = 150;
  public static final int KEYFRAME_INTERVAL = 50;
  static final int MIN_SHAPES = 2;

  /** The least gap between two shapes, in scene units (the frame is 1 wide): 2 pixels at 64. */
  static final double GAP = 2.0 / ToyFrame.SIZE;

  public static ToyDemoVideo pick() {
    for (long seed : (Iterable<Long>) ToySplit.HELD_OUT.seeds(0).boxed()::iterator) {
      ToyVideo video = ToyVideoSampler.sample(seed, FRAMES);
      if (video.tracks().size() < MIN_SHAPES || !shapesStayApart(video)) continue;
      ShapeTrack circle =
          video.tracks().stream()
              .filter(t -> t.kind() == ShapeKind.CIRCLE)
              .findFirst()
              .orElse(null);
      if (circle == null) continue;
      ToyInstruction recolour =
          new ToyInstruction.RecolourShape(
              ShapeKind.CIRCLE, circle.colour() == ToyColor.RED ? ToyColor.BLUE : ToyColor.RED);
      boolean everyFrame = true;
      for (int t = 0; t < FRAMES && everyFrame; t++)
        everyFrame = ToyInstructions.isApplicable(video.sceneAt(t), recolour);
      if (everyFrame) return new ToyDemoVideo(seed, video, recolour);
    }
    throw new IllegalStateException(
        "no held-out toy video has a circle"); // the seed stream is endless
  }

  /**
   * Whether no two shapes come within {@link #GAP} of each other in any frame, each taken as the
   * disc around its bounding square (a conservative bound for every kind).
   */
  static boolean shapesStayApart(ToyVideo video) {
    for (int t = 0; t < FRAMES; t++) {
      List<ToyShape> shapes = video.sceneAt(t).shapes();
      for (int i = 0; i < shapes.size(); i++) {
        for (int j = i + 1; j < shapes.size(); j++) {
          ToyShape a = shapes.get(i), b = shapes.get(j);
          double reach = Math.sqrt(2) * (a.size() + b.size()) + GAP;
          if (Math.hypot(a.x() - b.x(), a.y() - b.y()) < reach) return false;
        }
      }
    }
    return true;
  }

  /** Writes the video (with a tone for the audio track) unless {@code file} exists. */
  public void writeIfMissing(File file) throws IOException {
    if (file.isFile()) return;
    File tmp = new File(file.getParentFile(), "." + file.getName() + ".tmp.mp4");
    new SyntheticVideo()
        .size(ToyFrame.SIZE, ToyFrame.SIZE)
        .fps(FPS, 1)
        .frames(FRAMES)
        .gop(KEYFRAME_INTERVAL)
        .audio(true)
        .pictures(i -> video.at(i).render().rgb())
        .write(tmp);
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
  }
}
