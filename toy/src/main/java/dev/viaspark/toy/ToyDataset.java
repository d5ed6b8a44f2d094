package dev.viaspark.toy;

import dev.viaspark.video.ImageCodec;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Examples drawn from seeds: a frame of a sampled video with an instruction that visibly applies to
 * it.
 */
public final class ToyDataset {
  /**
   * The smallest share of the frame an instruction must change: 0.5%, 20 pixels at 64x64. A shape
   * hidden behind another, or nearly so, would otherwise make an example whose edit cannot be seen.
   */
  static final double MIN_REGION_SHARE = 0.005;

  /**
   * The smallest mean change (0-255 scale) an instruction must make over its region, so that the
   * unedited frame is never close to the target: grayscale barely changes a scene of white shapes
   * on a greyish background.
   */
  public static final double MIN_MEAN_CHANGE = 24;

  private static final int ATTEMPTS = 8;

  private ToyDataset() {}

  /** The example of this seed at {@link ToyFrame#SIZE} pixels square. */
  public static ToyExample example(long seed) {
    return example(seed, ToyFrame.SIZE);
  }

  /**
   * The example of this seed: first a family ({@link ToyInstructions#family}), then a frame of
   * {@link ToyVideoSampler#sample(long)} and an instruction of that family, drawn again while none
   * applies, the edit region is under {@link #MIN_REGION_SHARE} of the frame or it changes by less
   * than {@link #MIN_MEAN_CHANGE} on average. Drawing the family once, before the filter, keeps the
   * families at their odds: a filter applied to freely drawn instructions starves the ones it
   * rejects most (grayscale of muted scenes). After eight draws the family gives way to any
   * instruction, and after eight more to "make the background black", which always qualifies:
   * sampled backgrounds are muted but never dark and cover most of the frame. Where the instruction
   * has many right results (stripes), the target is one drawn from the same seed.
   */
  public static ToyExample example(long seed, int size) {
    return example(seed, size, FamilyOdds.STANDARD);
  }

  /**
   * The example of this seed with families drawn by {@code odds} instead of the sampler's own
   * ({@link FamilyOdds#STANDARD}, which gives {@link #example(long, int)}); the fallback draws,
   * too, keep to the families the odds draw.
   */
  public static ToyExample example(long seed, int size, FamilyOdds odds) {
    return example(seed, size, odds, StripeDraw.ANY);
  }

  /**
   * As {@link #example(long, int, FamilyOdds)}, the stripes of a stripe example drawn as {@code
   * stripes} says (a training run's choice; everything else is drawn the same).
   */
  public static ToyExample example(long seed, int size, FamilyOdds odds, StripeDraw stripes) {
    ToyVideo video = ToyVideoSampler.sample(seed);
    SplittableRandom rng = new SplittableRandom(seed).split();
    ToyFamily family = odds.draw(rng);
    ToyFrame frame = null;
    for (int attempt = 0; attempt < 2 * ATTEMPTS; attempt++) {
      frame = video.at(rng.nextInt(video.frames()));
      ToyInstruction instruction =
          attempt < ATTEMPTS
              ? ToyInstructions.sample(frame.scene(), family, rng)
              : ToyInstructions.sample(frame.scene(), odds, rng);
      if (instruction == null) continue;
      ToyExample ex = ToyEdit.example(frame, instruction, rng.nextLong(), size, size, stripes);
      if (visible(ex, size)) return ex;
    }
    return ToyEdit.example(
        frame, new ToyInstruction.RecolourBackground(ToyColor.BLACK), size, size);
  }

  /**
   * The example's twin, if it has one: the same frame, the same colour, another kind of shape the
   * frame shows named instead ("make the square red" for "make the circle red" on a frame with a
   * circle and a square), its edit visible as {@link #example} requires. A model that learns both
   * from the same noise can tell their targets apart only by the shape's word. Examples of other
   * families, and frames with one kind of shape, have none; where there are several other kinds,
   * {@code rng} picks one.
   */
  public static Optional<ToyExample> twin(ToyExample ex, SplittableRandom rng) {
    if (!(ex.instruction() instanceof ToyInstruction.RecolourShape named)) return Optional.empty();
    int size = ex.source().width();
    List<ToyExample> twins = new ArrayList<>();
    for (ShapeKind kind : ShapeKind.values()) {
      if (kind == named.shape()
          || ex.frame().scene().shapes().stream().noneMatch(s -> s.kind() == kind)) continue;
      ToyExample t =
          ToyEdit.example(
              ex.frame(), new ToyInstruction.RecolourShape(kind, named.colour()), size, size);
      if (visible(t, size)) twins.add(t);
    }
    return twins.isEmpty() ? Optional.empty() : Optional.of(twins.get(rng.nextInt(twins.size())));
  }

  private static boolean visible(ToyExample ex, int size) {
    return ex.regionPixels() >= MIN_REGION_SHARE * size * size
        && ex.meanChange() >= MIN_MEAN_CHANGE;
  }

  /** The examples of a split's seeds from {@code fromSeed} upwards, endless. */
  public static Stream<ToyExample> examples(ToySplit split, long fromSeed, int size) {
    return split.seeds(fromSeed).mapToObj(s -> example(s, size));
  }

  /**
   * Writes the examples of seeds {@code seed .. seed + n - 1} for people to look at: {@code
   * NNNN-source.png}, {@code NNNN-target.png}, {@code NNNN-region.png} (white where the edit should
   * change pixels) and {@code instructions.txt} with one line per example: number, seed, split,
   * instruction.
   */
  public static void writeSamples(File dir, int n, long seed) {
    StringBuilder lines = new StringBuilder();
    try {
      Files.createDirectories(dir.toPath());
      for (int i = 0; i < n; i++) {
        ToyExample ex = example(seed + i);
        String name = String.format("%04d", i);
        writePng(new File(dir, name + "-source.png"), ex.source());
        writePng(new File(dir, name + "-target.png"), ex.target());
        writePng(new File(dir, name + "-region.png"), regionImage(ex));
        lines
            .append(name)
            .append('\t')
            .append(seed + i)
            .append('\t')
            .append(ToySplit.of(seed + i))
            .append('\t')
            .append(ex.instruction().text())
            .append('\n');
      }
      Files.writeString(new File(dir, "instructions.txt").toPath(), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write toy samples to " + dir, e);
    }
  }

  private static VideoFrame regionImage(ToyExample ex) {
    byte[] rgb = new byte[ex.region().length * 3];
    for (int p = 0; p < ex.region().length; p++) {
      if (ex.region()[p]) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = (byte) 255;
    }
    return ex.source().withPixels(rgb);
  }

  private static void writePng(File f, VideoFrame frame) throws IOException {
    Files.write(f.toPath(), ImageCodec.encode(frame, ".png"));
  }
}
