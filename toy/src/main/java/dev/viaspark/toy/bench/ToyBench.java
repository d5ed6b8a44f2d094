package dev.viaspark.toy.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.Flags;
import dev.viaspark.cli.UsageException;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.diffusion.vae.AutoencoderKL;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.GuideFrames;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.edit.diffusion.MaskFrames;
import dev.viaspark.edit.diffusion.ReferenceImage;
import dev.viaspark.metrics.TemporalMetrics;
import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.toy.StripeConsistency;
import dev.viaspark.toy.ToyAccuracy;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyEdit;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFamily;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.toy.ToyInstruction;
import dev.viaspark.toy.ToyInstructions;
import dev.viaspark.toy.ToySplit;
import dev.viaspark.toy.ToyVideo;
import dev.viaspark.toy.ToyVideoSampler;
import dev.viaspark.train.ToyEvaluation;
import dev.viaspark.via.Anchors;
import dev.viaspark.via.ViaGather;
import dev.viaspark.via.ViaSwap;
import dev.viaspark.video.EncoderSettings;
import dev.viaspark.video.FrameGrid;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.OutputCodec;
import dev.viaspark.video.Rational;
import dev.viaspark.video.SegmentWriter;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code viaspark bench toy}: on held-out toy videos, whose correct edit is known exactly,
 * per-frame editing against Via gather-and-swap, each with one noise shared by all frames and with
 * noise per frame: edit accuracy ({@link ToyAccuracy}), temporal consistency (warp error,
 * consecutive-frame difference) and time.
 */
public final class ToyBench {
  public static final String HELP =
      String.join(
          "\n",
          "usage: viaspark bench toy --model DIR [--tta] [--videos N] [--frames F] [--families F,...] [--mask auto|attention] [--frames-out DIR] [--set key=value]...",
          "       viaspark bench toy --model DIR --held-out N [--mask none|exact|auto|attention] [--examples] [--set key=value]...",
          "       viaspark bench toy --model DIR --guide|--reference [--videos N] [--frames F] [--families F,...] [--set key=value]...",
          "",
          "With --held-out: edits the first N held-out toy frames one by one and prints the share ToyAccuracy counts",
          "correct (what ToyModelTest checks), mean colour distance and mean change outside the edit, the same per",
          "instruction family, binding (of the frames whose instruction names one shape of several, the share that",
          "keep the other shapes within ToyAccuracy's outside bound) and the VAE round trip alone. --mask exact",
          "edits each frame with the exact region its instruction changes as its mask, --mask auto with the mask",
          "the model finds (edit.mask = auto), --mask attention with the mask its cross-attention to the words",
          "naming the edited part gives (edit.mask = attention:circle,red); edit.mask-* settings apply. --examples",
          "also prints each example's line as it is scored (instruction, scores, correct or wrong; with auto or",
          "attention, the share of the edit region the found mask covers and of the rest of the frame).",
          "Otherwise:",
          "Edits N held-out toy videos per instruction family (default 2) of F frames (default 24), 64x64, each",
          "with an instruction of that family that applies to all its frames, four ways: per-frame editing and",
          "Via, each with shared and with per-frame noise (seed.mode). Scores every edited frame against the exact target (accuracy:",
          "share of frames ToyAccuracy counts correct; colour distance; change outside the edit) and each video's",
          "warp error and consecutive-frame difference (also of the source and of the exact target, for scale),",
          "and times each way (Via includes gathering). --families pattern,shape keeps those families' videos (the",
          "same videos a run of every family edits). Edit settings are the toy model's ("
              + ToyEvaluation.STEPS
              + " steps, guidance",
          ToyEvaluation.GUIDANCE
              + " / "
              + ToyEvaluation.IMAGE_GUIDANCE
              + ", masks without the latent pull: edit.mask-ramp-start = 1) and Via's defaults; --set overrides them "
              + "(e.g. via.swap-steps=12). --mask auto or attention gives every way the mask the model finds, as",
          "with --held-out (with --set edit.mask-auto-regions=follow, Via's frames follow their anchors' regions).",
          "Prints a Markdown table; for stripe videos, how each way's bands change from frame to frame (the",
          "distance between consecutive frames' band colours, and the share of the background that switches",
          "between band and gap by the patterns fitted to each frame); then one line per family and noise mode:",
          "family=F noise=shared|per-frame perframe_acc=A via_acc=B perframe_warp=W1 via_warp=W2 target_warp=W0",
          "perframe_s=S1 via_s=S2 (accuracy as a fraction, warp error on the report's scale, seconds per frame).",
          "--frames-out DIR also writes each video's frames as DIR/video-SEED.png, one row per way (the source",
          "and the exact target first, then the ways in the table's order), every frame enlarged twice.",
          "With --guide: the same videos edited from an edited keyframe instead of the instruction (edit.guide):",
          "the guide is frame 0's exact target as the toy renderer draws it, no instruction; every frame takes its",
          "edit along the source's optical flow (and, with --set edit.guide-refine=true, is inverted and",
          "reconstructed with the guide's K/V swapped in). Prints how many guides come back right from their own",
          "inversion, the table, then one line per family:",
          "variant=guide family=F noise=shared acc=A warp=W target_warp=W0 s=S.",
          "With --reference: the same videos edited from a reference image (edit.reference), frame 0's exact",
          "target, with each frame's exact edit region as its mask (edit.mask) and no instruction; it is aligned",
          "with the video (edit.reference-aligned=true unless --set says otherwise); the table and",
          "variant=reference family=F noise=shared acc=A warp=W target_warp=W0 s=S.",
          "With --tta: also Via with test-time editing adaptation (via.tta.enabled; via.tta.* settings apply),",
          "without and with each frame's exact edit region as its mask (edit.mask), with both noise modes, in the",
          "table and as one line per family and noise mode:",
          "variant=via+tta|via+tta+mask family=F noise=shared|per-frame acc=A warp=W target_warp=W0 s=S.");

  private ToyBench() {}

  /** One held-out video with its instruction and the exact edit of each frame. */
  record Case(long seed, ToyInstruction instruction, List<ToyExample> examples) {
    List<VideoFrame> sources() {
      return examples.stream().map(ToyExample::source).toList();
    }

    List<VideoFrame> targets() {
      return examples.stream().map(ToyExample::target).toList();
    }
  }

  /**
   * Totals of one way of editing over all videos: accuracy as {@code bench toy --held-out} counts
   * it, time, and consistency.
   */
  static final class Tally {
    final ToyEvaluation.Tally scores = new ToyEvaluation.Tally();
    final StripeConsistency stripes = new StripeConsistency();
    int frames;
    double seconds;
    TemporalScores temporal;

    void add(Case c, List<VideoFrame> edited, double secs) {
      for (int i = 0; i < edited.size(); i++) {
        scores.add(c.examples().get(i), ToyAccuracy.score(c.examples().get(i), edited.get(i)));
      }
      if (c.instruction().family() == ToyFamily.PATTERN) stripes.add(c.examples(), edited);
      frames += edited.size();
      seconds += secs;
      TemporalScores t = temporal(c.sources(), edited);
      temporal = temporal == null ? t : temporal.merge(t);
    }

    double accuracy() {
      return scores.accuracy();
    }

    String row(String name) {
      ToyEvaluation.Summary s = scores.summary();
      String colour =
          Double.isNaN(s.meanColourDistance())
              ? "-"
              : String.format("%.1f", s.meanColourDistance());
      return String.format(
          "| %s | %.1f%% | %s | %.1f | %.2f | %.2f | %.3f |",
          name,
          100.0 * s.correct(),
          colour,
          s.meanOutsideChange(),
          temporal.warpError(),
          temporal.frameDiff(),
          seconds / frames);
    }
  }

  public static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "bench toy",
            args,
            Set.of(
                "--model",
                "--videos",
                "--frames",
                "--families",
                "--held-out",
                "--mask",
                "--frames-out",
                "--set"),
            Set.of("--help", "--guide", "--reference", "--tta", "--examples"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    if (cl.get("--model") == null) throw new UsageException("bench toy: --model is required");
    Path model = Path.of(cl.get("--model"));
    String mask = cl.get("--mask") == null ? "none" : cl.get("--mask");
    ToyEvaluation.Masks masks;
    try {
      masks = ToyEvaluation.Masks.valueOf(mask.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("bench toy: --mask is none, exact, auto or attention, got " + mask);
    }
    if (cl.get("--held-out") != null) {
      for (String videoOnly : List.of("--families", "--frames-out")) {
        if (cl.get(videoOnly) != null)
          throw new UsageException("bench toy: " + videoOnly + " is for videos, not --held-out");
      }
      int n = Flags.positive(cl, "--held-out", 48);
      try (InstructPix2PixEditor editor =
          ToyEvaluation.editor(ToyEvaluation.settings(model, cl.all("--set")))) {
        ToyEvaluation.heldOutTally(editor, n, masks, cl.has("--examples") ? out::println : l -> {})
            .describe()
            .forEach(out::println);
      }
      try (NDManager m = NDManager.newBaseManager()) {
        AutoencoderKL vae = AutoencoderKL.load(model.resolve("vae"), m, DataType.FLOAT32);
        out.println("  " + ToyEvaluation.vaeRoundTrip(vae, m, n).describe());
      }
      return 0;
    }
    if (masks == ToyEvaluation.Masks.EXACT) {
      throw new UsageException(
          "bench toy: --mask exact is for --held-out; on videos the exact masks are --tta's ways");
    }
    int videos = Flags.positive(cl, "--videos", 2);
    int frames = Flags.positive(cl, "--frames", 24);
    Set<ToyFamily> families = families(cl.get("--families"));
    List<Case> cases =
        cases(videos, frames).stream()
            .filter(c -> families.contains(c.instruction().family()))
            .toList();
    List<String> sets = cl.all("--set");
    if (cl.has("--guide") || cl.has("--reference")) {
      if (cl.has("--guide") && cl.has("--reference"))
        throw new UsageException("bench toy: --guide or --reference, not both");
      if (cl.get("--frames-out") != null)
        throw new UsageException(
            "bench toy: --frames-out is for instruction edits, not --guide or --reference");
      boolean reference = cl.has("--reference");
      List<String> withAlignment = new ArrayList<>();
      // the reference is frame 0's exact target: aligned with the video
      if (reference) withAlignment.add("edit.reference-aligned=true");
      withAlignment.addAll(sets);
      return guided(model, cases, frames, withAlignment, reference, out);
    }
    ViasparkSettings shared = settings(model, sets, "shared");
    ViasparkSettings perFrameNoise = settings(model, sets, "per-frame");
    List<String> withTta = new ArrayList<>(sets);
    withTta.add("via.tta.enabled=true");
    ViasparkSettings sharedTta = settings(model, withTta, "shared");
    ViasparkSettings perFrameTta = settings(model, withTta, "per-frame");
    List<String> ways = new ArrayList<>(WAYS);
    if (cl.has("--tta")) ways.addAll(TTA_WAYS);
    File framesOut = cl.get("--frames-out") == null ? null : new File(cl.get("--frames-out"));
    int[] anchors = Anchors.of(shared, frames);
    out.printf(
        "toy model %s; %d held-out videos x %d frames (64x64), %d per family; %d steps, guidance %.1f / %.1f;"
            + " Via: anchors %s, swap steps %d, layers %s; masks: %s%s; %d cores%n",
        model,
        cases.size(),
        frames,
        videos,
        shared.steps,
        shared.config().getDouble("edit.guidance-scale"),
        shared.config().getDouble("edit.image-guidance-scale"),
        Arrays.toString(anchors),
        shared.viaSwapSteps,
        shared.viaLayers,
        mask,
        masks == ToyEvaluation.Masks.NONE
            ? ""
            : " (regions: " + shared.config().getString("edit.mask-auto-regions") + ")",
        Runtime.getRuntime().availableProcessors());
    Results results = new Results();
    try (TempFolder bankDir = TempFolder.create("viaspark-toy-bench");
        InstructPix2PixEditor sharedEditor = ToyEvaluation.editor(shared);
        InstructPix2PixEditor perFrameEditor = ToyEvaluation.editor(perFrameNoise)) {
      int batch = sharedEditor.framesPerCall(shared.batchSize);
      for (Case c : cases) {
        results.add(c, SOURCE, c.sources(), 0);
        results.add(c, TARGET, c.targets(), 0);
        List<List<VideoFrame>> rows = new ArrayList<>(List.of(c.sources(), c.targets()));
        VideoContext video =
            new VideoContext(
                "toy-" + c.seed(),
                "toy-" + c.seed(),
                c.instruction().text(),
                ToyFrame.SIZE,
                ToyFrame.SIZE,
                25,
                frames,
                shared.seed,
                ToyEvaluation.maskOption(masks, c.instruction()));
        for (String way : ways) {
          boolean via = way.startsWith("Via");
          boolean sharedNoise = way.endsWith("shared noise");
          InstructPix2PixEditor editor = sharedNoise ? sharedEditor : perFrameEditor;
          ViasparkSettings s =
              TTA_WAYS.contains(way)
                  ? (sharedNoise ? sharedTta : perFrameTta)
                  : (sharedNoise ? shared : perFrameNoise);
          VideoContext v =
              way.contains("exact masks")
                  ? video.withOptions(
                      Map.of(MaskFrames.OPTION, exactMasks(c, bankDir.path()).toString()))
                  : video;
          long start = System.nanoTime();
          List<VideoFrame> edited;
          if (via) {
            Path bank = bankDir.path().resolve(c.seed() + "-" + ways.indexOf(way));
            List<VideoFrame> anchorFrames = new ArrayList<>();
            for (int a : anchors) anchorFrames.add(c.sources().get(a));
            ViaGather.toFolder(editor, v, anchorFrames, s, bank, c.sources()::get);
            try (FrameEditor.Session session =
                ViaSwap.open(editor, v, bank, s.viaBankMemoryBytes, c.sources()::get)) {
              edited = session.editAll(c.sources(), batch);
            }
          } else {
            try (FrameEditor.Session session = editor.open(video)) {
              edited = session.editAll(c.sources(), batch);
            }
          }
          results.add(c, way, edited, (System.nanoTime() - start) / 1e9);
          rows.add(edited);
        }
        out.printf(
            "video %d (%s: \"%s\") done%n",
            c.seed(), c.instruction().family().word(), c.instruction().text());
        if (framesOut != null) {
          File image = new File(framesOut, "video-" + c.seed() + ".png");
          FrameGrid.write(rows, frames, 2, image);
          out.println(
              "  frames (rows: source, exact target, " + String.join("; ", ways) + "): " + image);
        }
      }
    }
    results.printTable(out);
    results.familyLines().forEach(out::println);
    if (cl.has("--tta")) {
      for (String way : List.of("Via + TTA, ", "Via + TTA + exact masks, ")) {
        for (String noise : List.of("shared", "per-frame"))
          results
              .variantLines(TTA_VARIANTS.get(way), way + noise + " noise", noise)
              .forEach(out::println);
      }
    }
    return 0;
  }

  static final String GUIDED = "guided by frame 0's exact target";
  static final String REFERENCED = "reference: frame 0's exact target, exact masks";

  /**
   * Every case edited from a guide: frame 0's exact target, written where {@code edit.guide} reads
   * it, no instruction; gathered, carried and (when refining) swapped as the job does ({@link
   * ViaGather#toFolder}, {@link ViaSwap#open}). With {@code reference}, frame 0's exact target is
   * the reference image instead ({@code edit.reference}) and each frame's exact edit region its
   * mask.
   */
  private static int guided(
      Path model,
      List<Case> cases,
      int frames,
      List<String> sets,
      boolean reference,
      PrintStream out)
      throws Exception {
    ViasparkSettings s = settings(model, sets, "shared");
    String way = reference ? REFERENCED : GUIDED;
    out.printf(
        "toy model %s; %d held-out videos x %d frames (64x64); %s: frame 0's exact target, no"
            + " instruction; %d steps, swap steps %d, layers %s; %d cores%n",
        model,
        cases.size(),
        frames,
        reference ? "reference (with exact masks)" : "guide",
        s.steps,
        s.viaSwapSteps,
        s.viaLayers,
        Runtime.getRuntime().availableProcessors());
    Results results = new Results();
    int reconstructedRight = 0;
    try (TempFolder tmp = TempFolder.create("viaspark-toy-guide");
        InstructPix2PixEditor editor = ToyEvaluation.editor(s)) {
      int batch = editor.framesPerCall(s.batchSize);
      for (Case c : cases) {
        results.add(c, SOURCE, c.sources(), 0);
        results.add(c, TARGET, c.targets(), 0);
        File guideDir = new File(tmp.dir(), "guide-" + c.seed());
        File guide = new File(guideDir, "000000.png");
        ImageFiles.write(c.targets().get(0), guide);
        Map<String, String> options =
            reference
                ? Map.of(
                    ReferenceImage.OPTION,
                    guide.getAbsolutePath(),
                    MaskFrames.OPTION,
                    exactMasks(c, tmp.path()).toString())
                : Map.of(GuideFrames.OPTION, guideDir.getAbsolutePath());
        VideoContext video =
            new VideoContext(
                "toy-" + c.seed(),
                "toy-" + c.seed(),
                "",
                ToyFrame.SIZE,
                ToyFrame.SIZE,
                25,
                frames,
                s.seed,
                options);
        long start = System.nanoTime();
        Path bank = tmp.path().resolve("bank-" + c.seed());
        List<VideoFrame> rebuilt =
            ViaGather.toFolder(
                    editor, video, List.of(c.sources().get(0)), s, bank, c.sources()::get)
                .editedAnchors();
        ToyAccuracy.Score guideScore = ToyAccuracy.score(c.examples().get(0), rebuilt.get(0));
        reconstructedRight += guideScore.correct() ? 1 : 0;
        List<VideoFrame> edited;
        try (FrameEditor.Session session =
            ViaSwap.open(editor, video, bank, s.viaBankMemoryBytes, c.sources()::get)) {
          edited = session.editAll(c.sources(), batch);
        }
        results.add(c, way, edited, (System.nanoTime() - start) / 1e9);
        out.printf(
            "video %d (%s: \"%s\") done%n",
            c.seed(), c.instruction().family().word(), c.instruction().text());
      }
    }
    out.printf(
        "the %s themselves, %s: %d of %d right%n",
        reference ? "references" : "guides",
        reference
            ? "edited with no instruction conditioned on themselves (the bank's K/V)"
            : "inverted and reconstructed conditioned on their source frames",
        reconstructedRight,
        cases.size());
    results.printTable(out);
    results.variantLines(reference ? "reference" : "guide", way, "shared").forEach(out::println);
    return 0;
  }

  static final String SOURCE = "source (unedited)";
  static final String TARGET = "exact target";
  static final List<String> WAYS =
      List.of(
          "per-frame, shared noise",
          "per-frame, per-frame noise",
          "Via, shared noise",
          "Via, per-frame noise");
  static final List<String> TTA_WAYS =
      List.of(
          "Via + TTA, shared noise",
          "Via + TTA, per-frame noise",
          "Via + TTA + exact masks, shared noise",
          "Via + TTA + exact masks, per-frame noise");

  /** The extra ways' names in the {@code variant=} lines, by the start of the way's name. */
  static final Map<String, String> TTA_VARIANTS =
      Map.of("Via + TTA, ", "via+tta", "Via + TTA + exact masks, ", "via+tta+mask");

  /** Tallies of every way of editing, over all videos and per instruction family. */
  static final class Results {
    final Map<String, Tally> all = new LinkedHashMap<>();
    final Map<ToyFamily, Map<String, Tally>> byFamily = new EnumMap<>(ToyFamily.class);

    void add(Case c, String way, List<VideoFrame> edited, double seconds) {
      all.computeIfAbsent(way, w -> new Tally()).add(c, edited, seconds);
      byFamily
          .computeIfAbsent(c.instruction().family(), f -> new LinkedHashMap<>())
          .computeIfAbsent(way, w -> new Tally())
          .add(c, edited, seconds);
    }

    /** The Markdown table of every way of editing over all videos, between blank lines. */
    void printTable(PrintStream out) {
      out.println();
      out.println(
          "| frames | accuracy | colour distance | outside change | warp error | frame diff | s/frame"
              + " |");
      out.println("|---|---|---|---|---|---|---|");
      all.forEach((way, tally) -> out.println(tally.row(way)));
      out.println();
      all.forEach(
          (way, tally) -> {
            if (tally.stripes.pairs() == 0) return;
            double colour = tally.stripes.meanColourChange();
            out.printf(
                Locale.ROOT,
                "stripes, %s: band colour moves by %s between consecutive frames, %.0f%% of the"
                    + " background switches between band and gap%n",
                way,
                Double.isNaN(colour) ? "-" : String.format(Locale.ROOT, "%.1f", colour),
                100 * tally.stripes.meanSwitchedShare());
          });
    }

    /**
     * One line per family for one extra way of editing: {@code variant=NAME family=F noise=M acc=A
     * warp=W target_warp=W0 s=S}.
     */
    List<String> variantLines(String variant, String way, String noise) {
      List<String> lines = new ArrayList<>();
      for (Map.Entry<ToyFamily, Map<String, Tally>> f : byFamily.entrySet()) {
        Tally t = f.getValue().get(way);
        lines.add(
            String.format(
                Locale.ROOT,
                "variant=%s family=%s noise=%s acc=%.3f warp=%.3f target_warp=%.3f s=%.3f",
                variant,
                f.getKey().word(),
                noise,
                t.accuracy(),
                t.temporal.warpError(),
                f.getValue().get(TARGET).temporal.warpError(),
                t.seconds / t.frames));
      }
      return lines;
    }

    /**
     * One machine-readable line per family and noise mode: {@code family=F noise=M perframe_acc=A
     * via_acc=B perframe_warp=W1 via_warp=W2 target_warp=W0 perframe_s=S1 via_s=S2}.
     */
    List<String> familyLines() {
      List<String> lines = new ArrayList<>();
      for (Map.Entry<ToyFamily, Map<String, Tally>> f : byFamily.entrySet()) {
        for (String noise : List.of("shared", "per-frame")) {
          Tally perFrame = f.getValue().get("per-frame, " + noise + " noise");
          Tally via = f.getValue().get("Via, " + noise + " noise");
          lines.add(
              String.format(
                  Locale.ROOT,
                  "family=%s noise=%s perframe_acc=%.3f via_acc=%.3f "
                      + "perframe_warp=%.3f via_warp=%.3f target_warp=%.3f perframe_s=%.3f via_s=%.3f",
                  f.getKey().word(),
                  noise,
                  perFrame.accuracy(),
                  via.accuracy(),
                  perFrame.temporal.warpError(),
                  via.temporal.warpError(),
                  f.getValue().get(TARGET).temporal.warpError(),
                  perFrame.seconds / perFrame.frames,
                  via.seconds / via.frames));
        }
      }
      return lines;
    }
  }

  /**
   * The case's exact edit regions as a lossless mask video in {@code dir} (white where the frame's
   * instruction changes pixels), written on first use.
   */
  static Path exactMasks(Case c, Path dir) throws IOException {
    Path file = dir.resolve("masks-" + c.seed() + ".mkv");
    if (Files.exists(file)) return file;
    try (SegmentWriter w =
        new SegmentWriter(
            file.toFile(),
            ToyFrame.SIZE,
            ToyFrame.SIZE,
            new Rational(25, 1),
            EncoderSettings.defaults(OutputCodec.FFV1))) {
      for (ToyExample ex : c.examples()) {
        byte[] rgb = new byte[ex.region().length * 3];
        for (int p = 0; p < ex.region().length; p++) {
          if (ex.region()[p]) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = (byte) 255;
        }
        w.write(ex.source().withPixels(rgb));
      }
    }
    return file;
  }

  private static ViasparkSettings settings(Path model, List<String> sets, String seedMode) {
    List<String> all = new ArrayList<>(List.of("via.enabled=true", "seed.mode=" + seedMode));
    all.addAll(sets);
    return ToyEvaluation.settings(model, all);
  }

  /** The families a {@code --families} list names, every family when it is null. */
  static Set<ToyFamily> families(String list) {
    if (list == null) return EnumSet.allOf(ToyFamily.class);
    Set<ToyFamily> families = EnumSet.noneOf(ToyFamily.class);
    for (String word : list.split(",")) {
      ToyFamily family = ToyFamily.ofWord(word.strip());
      if (family == null) {
        throw new UsageException(
            "bench toy: --families: no family '"
                + word.strip()
                + "' (families: "
                + ToyFamily.words()
                + ")");
      }
      families.add(family);
    }
    return families;
  }

  /**
   * For each instruction family, the first {@code perFamily} held-out videos with an instruction of
   * that family (drawn as training draws them) that applies to every frame and visibly changes the
   * first; a video serves one family.
   */
  static List<Case> cases(int perFamily, int frames) {
    List<Case> out = new ArrayList<>();
    Map<ToyFamily, Integer> found = new EnumMap<>(ToyFamily.class);
    for (long seed :
        (Iterable<Long>) ToySplit.HELD_OUT.seeds(ToyEvaluation.FIRST_SEED).boxed()::iterator) {
      if (out.size() == perFamily * ToyFamily.values().length) break;
      ToyVideo video = ToyVideoSampler.sample(seed, frames);
      SplittableRandom rng = new SplittableRandom(seed);
      for (ToyFamily family : ToyFamily.values()) {
        if (found.getOrDefault(family, 0) == perFamily) continue;
        ToyInstruction instruction = ToyInstructions.sample(video.sceneAt(0), family, rng);
        if (instruction == null) continue;
        boolean applies = true;
        for (int t = 0; t < frames && applies; t++) {
          applies = ToyInstructions.isApplicable(video.sceneAt(t), instruction);
        }
        if (!applies) continue;
        List<ToyExample> examples = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
          // one answer for the whole video (the seed's), so the exact target of stripes is
          // consistent over time
          examples.add(
              ToyEdit.example(video.at(t), instruction, seed, ToyFrame.SIZE, ToyFrame.SIZE));
        }
        if (examples.get(0).meanChange() < ToyDataset.MIN_MEAN_CHANGE) continue;
        out.add(new Case(seed, instruction, examples));
        found.merge(family, 1, Integer::sum);
        break;
      }
    }
    return out;
  }

  private static TemporalScores temporal(List<VideoFrame> sources, List<VideoFrame> outputs) {
    TemporalMetrics m = new TemporalMetrics();
    for (int i = 0; i < sources.size(); i++) m.add(sources.get(i), outputs.get(i));
    return m.scores();
  }
}
