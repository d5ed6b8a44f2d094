package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.pipeline.ImageTensors;
import dev.viaspark.diffusion.train.TrainingStep;
import dev.viaspark.diffusion.vae.AutoencoderKL;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.edit.diffusion.MaskFrames;
import dev.viaspark.storage.Storage;
import dev.viaspark.toy.ToyAccuracy;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFamily;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.toy.ToyInstruction;
import dev.viaspark.toy.ToySplit;
import dev.viaspark.video.VideoFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Edit accuracy of a checkpoint on held-out toy examples, edited one frame at a time through the
 * job's own InstructPix2Pix editor and scored by {@link ToyAccuracy}.
 */
public final class ToyEvaluation {
  /** The edit settings the toy model is evaluated (and demonstrated) with. */
  public static final int STEPS = 20;

  public static final double GUIDANCE = 5.0;
  public static final double IMAGE_GUIDANCE = 2.0;

  /**
   * Masked toy edits keep the outside by the pixel composite alone, without the latent pull
   * (edit.mask-ramp-start = 1): pulled to the source at full weight near the end, the toy model
   * pales the stripes it paints inside the mask; on the other families the pull changes nothing
   * that counts (docs/BENCHMARKS.md, v18 and v19).
   */
  public static final double MASK_RAMP_START = 1.0;

  /**
   * Held-out seeds are drawn from here upwards; training walks TRAIN seeds only, so any start is
   * unseen.
   */
  public static final long FIRST_SEED = 0;

  private ToyEvaluation() {}

  /**
   * @param correct share of examples {@link ToyAccuracy.Score#correct()}
   * @param meanColourDistance over colour edits
   * @param meanOutsideChange over all examples
   */
  public record Summary(
      int examples, double correct, double meanColourDistance, double meanOutsideChange) {
    public String describe() {
      return String.format(
          "%d held-out examples: %.0f%% correct, mean colour distance %.1f, mean outside change %.1f",
          examples, 100 * correct, meanColourDistance, meanOutsideChange);
    }
  }

  /**
   * Scores added up: accuracy and means over all, per {@link ToyFamily}, and binding: of the
   * examples whose instruction names one shape of a scene with several, how many leave the other
   * shapes within the outside bound.
   */
  public static final class Tally {
    private int examples, correct, colourEdits, bindingExamples, bindingKept;
    private double colour, outside;
    private final Map<ToyFamily, Tally> families = new EnumMap<>(ToyFamily.class);

    public void add(ToyExample example, ToyAccuracy.Score score) {
      boolean binding =
          example.instruction().family() == ToyFamily.SHAPE
              && example.frame().scene().shapes().size() > 1;
      add(score, binding);
      families
          .computeIfAbsent(example.instruction().family(), f -> new Tally())
          .add(score, binding);
    }

    private void add(ToyAccuracy.Score s, boolean binding) {
      examples++;
      if (s.correct()) correct++;
      if (!Double.isNaN(s.colourDistance())) {
        colour += s.colourDistance();
        colourEdits++;
      }
      outside += s.outsideChange();
      if (binding) {
        bindingExamples++;
        if (s.shapesChange() <= ToyAccuracy.Thresholds.DEFAULT.outside()) bindingKept++;
      }
    }

    public int examples() {
      return examples;
    }

    public double accuracy() {
      return examples == 0 ? Double.NaN : correct / (double) examples;
    }

    public Summary summary() {
      return new Summary(
          examples,
          accuracy(),
          colourEdits == 0 ? Double.NaN : colour / colourEdits,
          examples == 0 ? Double.NaN : outside / examples);
    }

    /** The tally of one family (empty when it had no example). */
    public Tally family(ToyFamily family) {
      return families.getOrDefault(family, new Tally());
    }

    /** Share of binding examples that kept the unnamed shapes; NaN when there were none. */
    public double binding() {
      return bindingExamples == 0 ? Double.NaN : bindingKept / (double) bindingExamples;
    }

    /** The summary line, one line per family present, and the binding line. */
    public List<String> describe() {
      List<String> lines = new ArrayList<>();
      lines.add(summary().describe());
      for (ToyFamily f : ToyFamily.values()) {
        Tally t = families.get(f);
        if (t == null) continue;
        Summary s = t.summary();
        lines.add(
            String.format(
                Locale.ROOT,
                "  family %s: %d examples, %.0f%% correct, mean colour distance %.1f, "
                    + "mean outside change %.1f",
                f.word(),
                s.examples(),
                100 * s.correct(),
                s.meanColourDistance(),
                s.meanOutsideChange()));
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "  binding: %d examples name one shape of several; %.0f%% keep the other "
                  + "shapes within %.0f",
              bindingExamples,
              100 * binding(),
              ToyAccuracy.Thresholds.DEFAULT.outside()));
      return lines;
    }
  }

  /**
   * How much the VAE alone moves a frame: encode and decode, then the largest mean change of any
   * part (shape or background, over its interior as {@link ToyAccuracy} measures), per frame. The
   * examples' targets are round-tripped too and judged as edits, per instruction family: a decoder
   * that cannot draw a target makes that edit wrong, whatever the UNet predicts.
   *
   * @param targets per family word (in {@link ToyFamily} order), how many examples it has
   * @param targetsRight per family word, how many of their targets {@link ToyAccuracy} still judges
   *     right after the round trip
   */
  public record RoundTrip(
      int frames,
      double meanWorstPart,
      double maxWorstPart,
      Map<String, Integer> targets,
      Map<String, Integer> targetsRight) {
    public String describe() {
      StringBuilder right = new StringBuilder();
      targets.forEach(
          (family, n) ->
              right.append(
                  String.format(
                      Locale.ROOT,
                      "%s%s %d of %d",
                      right.length() == 0 ? "" : ", ",
                      family,
                      targetsRight.getOrDefault(family, 0),
                      n)));
      return String.format(
          Locale.ROOT,
          "VAE round trip of %d held-out frames: worst part moves by %.2f on average, "
              + "%.2f at most; targets still right after it: %s",
          frames,
          meanWorstPart,
          maxWorstPart,
          right);
    }
  }

  /**
   * {@link RoundTrip} of the sources (and targets) of the first {@code count} held-out examples.
   */
  public static RoundTrip vaeRoundTrip(AutoencoderKL vae, NDManager manager, int count) {
    double sum = 0, max = 0;
    Map<String, Integer> targets = new LinkedHashMap<>(), right = new LinkedHashMap<>();
    for (ToyFamily f : ToyFamily.values()) targets.put(f.word(), 0);
    List<ToyExample> examples = heldOutExamples(count);
    for (ToyExample ex : examples) {
      try (NDManager m = manager.newSubManager()) {
        VideoFrame source = ex.source();
        double worst =
            ToyAccuracy.score(
                    source,
                    roundTrip(vae, m, source),
                    source,
                    ex.owners(),
                    new boolean[ex.owners().length],
                    null)
                .outsideChange();
        sum += worst;
        max = Math.max(max, worst);
        String family = ex.instruction().family().word();
        targets.merge(family, 1, Integer::sum);
        if (ToyAccuracy.score(ex, roundTrip(vae, m, ex.target())).correct()) {
          right.merge(family, 1, Integer::sum);
        }
      }
    }
    targets.values().removeIf(n -> n == 0);
    return new RoundTrip(examples.size(), sum / examples.size(), max, targets, right);
  }

  private static VideoFrame roundTrip(AutoencoderKL vae, NDManager m, VideoFrame frame) {
    byte[] rgb =
        TrainingStep.withoutGradients(
            () -> {
              NDArray z =
                  vae.encodeMean(
                      ImageTensors.fromRgb(m, frame.rgb(), frame.width(), frame.height()));
              return ImageTensors.toRgb(ImageTensors.postprocess(vae.decode(z)))[0];
            });
    return frame.withPixels(rgb);
  }

  /**
   * The job's settings for editing with {@code checkpoint} as the toy model is evaluated, then
   * {@code overrides}.
   */
  public static ViasparkSettings settings(Path checkpoint, List<String> overrides) {
    ConfigLayers layers =
        new ConfigLayers().set("edit.editor", "ip2p").set("model.path", checkpoint.toString());
    for (String kv : editSettings()) layers.set(kv);
    for (String kv : overrides) layers.set(kv);
    return layers.resolve();
  }

  /** The job's settings (key=value) of a toy edit: steps, guidance scales and masks' ramp. */
  public static List<String> editSettings() {
    return List.of(
        "edit.steps=" + STEPS,
        "edit.guidance-scale=" + GUIDANCE,
        "edit.image-guidance-scale=" + IMAGE_GUIDANCE,
        "edit.mask-ramp-start=" + MASK_RAMP_START);
  }

  public static InstructPix2PixEditor editor(ViasparkSettings settings) {
    return (InstructPix2PixEditor)
        new InstructPix2PixEditor.Provider()
            .create("ip2p", settings.config(), Device.CPU, Storage.local());
  }

  /** The editor for {@code checkpoint} with the toy evaluation settings. */
  public static InstructPix2PixEditor editor(Path checkpoint) {
    return editor(settings(checkpoint, List.of()));
  }

  /** Edits {@code example}'s source as a one-frame video seeded by {@code seed}. */
  public static VideoFrame edit(InstructPix2PixEditor editor, ToyExample example, long seed) {
    return edit(editor, example, seed, Masks.NONE);
  }

  /** Where a held-out edit may change the frame. */
  public enum Masks {
    /** Everywhere. */
    NONE,
    /** The exact region the instruction changes. */
    EXACT,
    /** Where the model finds it ({@code edit.mask = auto}). */
    AUTO,
    /**
     * Where the instructed branch attends to the words naming the edited part ({@code edit.mask =
     * attention:circle,red}, {@code attention:background} for stripes); none for an edit of the
     * whole frame.
     */
    ATTENTION
  }

  /** A video's {@code edit.mask} option for {@code instruction} masked as {@code masks} says. */
  public static Map<String, String> maskOption(Masks masks, ToyInstruction instruction) {
    if (masks == Masks.AUTO) return Map.of(MaskFrames.OPTION, MaskFrames.AUTO);
    List<String> words = maskWords(instruction);
    if (masks != Masks.ATTENTION || words.isEmpty()) return Map.of();
    return Map.of(MaskFrames.OPTION, MaskFrames.ATTENTION + ":" + String.join(",", words));
  }

  /**
   * The words naming the part an instruction edits: those the grounding loss ties to it ("circle"
   * and "red"); for stripes "background" alone, which models grounded before the stripe words were
   * (v15) learnt from the background recolours, and which finds the background with the models
   * grounded on them too (v18, v19: every figure of theirs is with it); none for an edit of the
   * whole frame.
   */
  static List<String> maskWords(ToyInstruction instruction) {
    if (instruction instanceof ToyInstruction.StripeBackground) return List.of("background");
    return AttentionGrounding.groundedWords(instruction);
  }

  /** {@link #edit(InstructPix2PixEditor, ToyExample, long)}, masked as {@code masks} says. */
  public static VideoFrame edit(
      InstructPix2PixEditor editor, ToyExample example, long seed, Masks masks) {
    return editShowingMask(editor, example, seed, masks).frame();
  }

  /**
   * An edited example and, where the model found its mask, the region the mask kept (one byte per
   * pixel, 255 on the region; null otherwise).
   */
  record Edited(VideoFrame frame, byte[] foundRegion) {}

  private static Edited editShowingMask(
      InstructPix2PixEditor editor, ToyExample example, long seed, Masks masks) {
    String instruction = example.instruction().text();
    VideoFrame source = example.source();
    VideoContext video =
        new VideoContext(
            "toy-" + seed,
            "toy-" + seed,
            instruction,
            source.width(),
            source.height(),
            25,
            1,
            seed,
            maskOption(masks, example.instruction()));
    if (MaskFrames.isFound(video.options().get(MaskFrames.OPTION))) {
      InstructPix2PixEditor.Edited e =
          editor.editFollowing(video, instruction, List.of(source), AttentionHook.NONE, null);
      return new Edited(e.frames().get(0), e.regions().get(0));
    }
    VideoFrame edited =
        editor
            .edit(
                video,
                instruction,
                List.of(source),
                AttentionHook.NONE,
                masks == Masks.EXACT ? List.of(regionMask(example)) : null)
            .get(0);
    return new Edited(edited, null);
  }

  /** The pixels {@code example}'s instruction changes, white on black. */
  public static byte[] regionMask(ToyExample example) {
    byte[] mask = new byte[example.region().length];
    for (int p = 0; p < mask.length; p++) mask[p] = example.region()[p] ? (byte) 255 : 0;
    return mask;
  }

  /** The first {@code count} held-out examples from {@link #FIRST_SEED}. */
  public static List<ToyExample> heldOutExamples(int count) {
    return ToyDataset.examples(ToySplit.HELD_OUT, FIRST_SEED, ToyFrame.SIZE).limit(count).toList();
  }

  /** Scores the first {@code count} held-out examples from {@link #FIRST_SEED}. */
  public static Summary heldOut(InstructPix2PixEditor editor, int count) {
    return heldOutTally(editor, count).summary();
  }

  /** {@link #heldOut}'s scores, with families and binding. */
  public static Tally heldOutTally(InstructPix2PixEditor editor, int count) {
    return heldOutTally(editor, count, Masks.NONE);
  }

  /** {@link #heldOutTally}, each frame masked as {@code masks} says. */
  public static Tally heldOutTally(InstructPix2PixEditor editor, int count, Masks masks) {
    return heldOutTally(editor, count, masks, line -> {});
  }

  /**
   * {@link #heldOutTally(InstructPix2PixEditor, int, Masks)}, giving {@code perExample} one line
   * per example as it is scored ({@link #describeExample}).
   */
  public static Tally heldOutTally(
      InstructPix2PixEditor editor, int count, Masks masks, Consumer<String> perExample) {
    List<ToyExample> examples = heldOutExamples(count);
    Tally tally = new Tally();
    for (int i = 0; i < examples.size(); i++) {
      ToyExample ex = examples.get(i);
      Edited edited = editShowingMask(editor, ex, i, masks);
      ToyAccuracy.Score score = ToyAccuracy.score(ex, edited.frame());
      perExample.accept(
          describeExample(i, ex, score)
              + (edited.foundRegion() == null ? "" : describeMask(ex, edited.foundRegion())));
      tally.add(ex, score);
    }
    return tally;
  }

  /**
   * How a found mask's region lies over the example's edit region: the share of the edit region it
   * covers, and of the rest of the frame.
   */
  static String describeMask(ToyExample example, byte[] found) {
    boolean[] region = example.region();
    int inside = 0, covered = 0, extra = 0;
    for (int p = 0; p < region.length; p++) {
      boolean kept = found[p] != 0;
      if (region[p]) {
        inside++;
        if (kept) covered++;
      } else if (kept) {
        extra++;
      }
    }
    return String.format(
        Locale.ROOT,
        "; found mask covers %.0f%% of the edit region, %.0f%% of the rest",
        100.0 * covered / Math.max(1, inside),
        100.0 * extra / Math.max(1, region.length - inside));
  }

  /**
   * One example's score in a line: its index, family, shape count and instruction, the colour
   * distance inside the region (for a global edit, which has no one colour, the mean error against
   * the target instead), for stripes how well the change follows bands (the pattern fit), the mean
   * change outside it and over the other shapes, and whether it counts as correct.
   */
  public static String describeExample(int index, ToyExample example, ToyAccuracy.Score s) {
    return String.format(
        Locale.ROOT,
        "  example %d (%s, shapes: %d) \"%s\": %s %.1f,%s outside change %.1f, "
            + "other shapes %.1f: %s",
        index,
        example.instruction().family().word(),
        example.frame().scene().shapes().size(),
        example.instruction().text(),
        Double.isNaN(s.colourDistance()) ? "inside error" : "colour distance",
        Double.isNaN(s.colourDistance()) ? s.insideError() : s.colourDistance(),
        Double.isNaN(s.patternFit())
            ? ""
            : String.format(Locale.ROOT, " pattern fit %.2f,", s.patternFit()),
        s.outsideChange(),
        s.shapesChange(),
        s.correct() ? "correct" : "wrong");
  }
}
