package dev.viaspark.via;

import ai.djl.ndarray.NDManager;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.LoraAdapter;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.GuideFrames;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.edit.diffusion.MaskFrames;
import dev.viaspark.edit.diffusion.ReferenceImage;
import dev.viaspark.video.VideoFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Gathering for one video: edits its anchor frames one after the other with {@link GatherHook} into
 * a bank.
 */
public final class ViaGather {
  private ViaGather() {}

  /**
   * The edited anchors (previews) and the bank; the caller closes the bank.
   *
   * @param regions the region each anchor kept with a found mask, when the frames follow them
   *     ({@link AnchorRegions}); else null
   */
  public record Result(List<VideoFrame> editedAnchors, InMemoryKvBank bank, List<byte[]> regions) {}

  /**
   * What {@link #toFolder} did besides writing the bank.
   *
   * @param editedAnchors the edited anchors (the reconstructed guides for a guided video)
   * @param ttaCandidates the root frame's candidate edits of test-time adaptation, empty without it
   * @param ttaChosen the index of the candidate the adapter was tuned on, -1 without adaptation
   * @param ttaSeconds the seconds adaptation took (candidates and tuning), 0 without it
   */
  public record Gathered(
      List<VideoFrame> editedAnchors,
      List<VideoFrame> ttaCandidates,
      int ttaChosen,
      double ttaSeconds) {}

  /**
   * @param extra a hook run after the gather hook on every call (tests use it to observe; NONE
   *     otherwise)
   * @param sourceAt the video's source frame of an index: with {@code edit.mask-auto-regions =
   *     follow} each anchor after the first follows the region the one before it kept, carried
   *     through the frames between ({@link AnchorRegions}); null to let each keep its strongest
   */
  public static Result run(
      InstructPix2PixEditor editor,
      VideoContext video,
      String instruction,
      List<VideoFrame> anchors,
      LayerSelection layers,
      int swapSteps,
      NDManager bankParent,
      AttentionHook extra,
      IntFunction<VideoFrame> sourceAt) {
    GatherHook gather = new GatherHook(bankParent, layers, swapSteps);
    try (MaskFrames masks = editor.masks(video)) {
      AttentionHook hook = extra == AttentionHook.NONE ? gather : gather.andThen(extra);
      boolean follow = editor.followsAnchorRegions(video);
      List<VideoFrame> edited = new ArrayList<>();
      List<byte[]> regions = follow ? new ArrayList<>() : null;
      for (int k = 0; k < anchors.size(); k++) {
        VideoFrame anchor = anchors.get(k);
        List<VideoFrame> one = List.of(anchor);
        if (follow) {
          List<byte[]> prior =
              k == 0 || sourceAt == null
                  ? null
                  : List.of(
                      AnchorRegions.of(anchors.get(k - 1), regions.get(k - 1))
                          .carrier(sourceAt)
                          .carry(anchor));
          InstructPix2PixEditor.Edited e =
              editor.editFollowing(video, instruction, one, hook, prior);
          edited.addAll(e.frames());
          regions.addAll(e.regions());
        } else {
          edited.addAll(
              editor.edit(
                  video, instruction, one, hook, InstructPix2PixEditor.masksOf(masks, one)));
        }
        gather.anchorDone();
      }
      int[] frames = anchors.stream().mapToInt(VideoFrame::index).toArray();
      return new Result(edited, gather.toBank(frames), regions);
    } catch (RuntimeException e) {
      gather.close();
      throw e;
    }
  }

  /**
   * Gathering from edited keyframes ({@code edit.guide}): each guide frame is inverted and
   * reconstructed conditioned on its source frame, one after the other, with a recording {@link
   * GatherHook} (each attends to its own K/V only), so the bank holds the guides' K/V.
   *
   * @param sources the source frames the guides replace, in the guides' order
   * @param guides the edited frames, ascending by index
   */
  public static Result guided(
      InstructPix2PixEditor editor,
      VideoContext video,
      List<VideoFrame> sources,
      List<VideoFrame> guides,
      LayerSelection layers,
      int swapSteps,
      NDManager bankParent) {
    GatherHook gather = GatherHook.recording(bankParent, layers, swapSteps);
    try {
      String prompt = InstructPix2PixEditor.guidedPromptOf(video);
      List<VideoFrame> reconstructed = new ArrayList<>();
      for (int i = 0; i < guides.size(); i++) {
        if (sources.get(i).index() != guides.get(i).index()) {
          throw new IllegalArgumentException(
              "guide of frame "
                  + guides.get(i).index()
                  + " with source frame "
                  + sources.get(i).index());
        }
        reconstructed.addAll(
            editor.reconstruct(
                video, prompt, List.of(guides.get(i)), List.of(sources.get(i)), gather));
        gather.anchorDone();
      }
      int[] frames = guides.stream().mapToInt(VideoFrame::index).toArray();
      return new Result(reconstructed, gather.toBank(frames), null);
    } catch (RuntimeException e) {
      gather.close();
      throw e;
    }
  }

  private static VideoContext withoutMask(VideoContext v) {
    Map<String, String> options = new HashMap<>(v.options());
    options.remove(MaskFrames.OPTION);
    return v.withOptions(Map.copyOf(options));
  }

  /**
   * Gathering as the job runs it: gathers the anchors' K/V with the video's instruction and the
   * settings' layers and swap steps, and writes the bank in its on-disk format ({@link
   * KvBankFiles}) to {@code bankDir}. Returns the edited anchors. For a video with a guide ({@code
   * edit.guide}) the anchors are the frames its guides replace and the bank holds the guides' K/V;
   * the reconstructed guides are returned. With {@code via.tta.enabled} the video's adapters are
   * tuned first ({@link ViaTta}), the anchors are edited with them, and they are written into the
   * bank ({@link KvBankFiles#ADAPTER}). For a video with a reference image ({@code edit.reference})
   * the bank holds the reference's K/V, and the reconstructed reference is returned; when the
   * reference's K/V are not swapped in ({@code edit.reference-transfer = colours}) the bank holds
   * none and the reference is returned as it is. With {@code edit.mask-auto-regions = follow} the
   * regions the anchors kept are written into the bank ({@link AnchorRegions}). The gather stage
   * and the benchmarks both call this.
   *
   * @param anchors the anchor frames; not read for a video with a reference image (may be empty)
   * @param sourceAt the video's source frame of an index (read only to carry the anchors' regions)
   */
  public static Gathered toFolder(
      InstructPix2PixEditor editor,
      VideoContext video,
      List<VideoFrame> anchors,
      ViasparkSettings settings,
      Path bankDir,
      IntFunction<VideoFrame> sourceAt)
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager(editor.pipeline().device())) {
      LayerSelection layers = LayerSelection.parse(settings.viaLayers, settings.viaCrossAttention);
      List<VideoFrame> guides = GuideFrames.uriOf(video) != null ? editor.guides(video) : null;
      if (ReferenceImage.uriOf(video) != null) {
        VideoFrame reference = editor.reference(video);
        if (!editor.swapsReference()) {
          // its colours alone: stage 2 reads the reference itself and no K/V, so none are gathered
          try (InMemoryKvBank none =
              new InMemoryKvBank(
                  NDManager.newBaseManager(), List.of(), 0, new int[] {reference.index()})) {
            KvBankFiles.write(none, bankDir, editor.pipeline().dtype(), Map.of());
          }
          return new Gathered(List.of(reference), List.of(), -1, 0);
        }
        // the reference edited with no instruction, conditioned on itself (it comes back close to
        // itself), gathered with every guidance branch the frames' edits will swap into; the
        // frames' masks are not the reference's
        Result gathered =
            run(
                editor,
                withoutMask(video),
                "",
                List.of(reference),
                layers,
                settings.viaSwapSteps,
                manager,
                AttentionHook.NONE,
                null);
        try (InMemoryKvBank bank = gathered.bank()) {
          KvBankFiles.write(bank, bankDir, editor.pipeline().dtype(), Map.of());
        }
        return new Gathered(gathered.editedAnchors(), List.of(), -1, 0);
      }
      Map<String, Path> extras = new HashMap<>();
      AttentionHook adapter = AttentionHook.NONE;
      ViaTta.Outcome tta = null;
      double ttaSeconds = 0;
      if (settings.ttaEnabled && guides == null) {
        long start = System.nanoTime();
        tta = ViaTta.tune(editor, video, anchors.get(0), settings, manager);
        LoraAdapter tuned = tta.adapter();
        ttaSeconds = (System.nanoTime() - start) / 1e9;
        Path file = bankDir.resolveSibling(bankDir.getFileName() + "." + KvBankFiles.ADAPTER);
        tuned.write(file);
        extras.put(KvBankFiles.ADAPTER, file);
        // the anchors are edited with the adapter as stage 2 reads it: the same bits, and arrays
        // that, unlike the tuned ones, do not require gradients (no autograd graph at inference)
        adapter = LoraAdapter.read(file, manager, editor.pipeline().dtype());
      }
      Result gathered =
          guides != null
              ? guided(editor, video, anchors, guides, layers, settings.viaSwapSteps, manager)
              : run(
                  editor,
                  video,
                  InstructPix2PixEditor.instructionOf(video),
                  anchors,
                  layers,
                  settings.viaSwapSteps,
                  manager,
                  adapter,
                  sourceAt);
      // guides and anchor regions are listed in the bank's manifest like the adapter
      Path images = bankDir.resolveSibling(bankDir.getFileName() + ".images");
      try (InMemoryKvBank bank = gathered.bank()) {
        if (guides != null) extras.putAll(GuideBank.write(images, guides, anchors));
        if (gathered.regions() != null) {
          extras.putAll(AnchorRegions.write(images, anchors, gathered.regions()));
        }
        KvBankFiles.write(bank, bankDir, editor.pipeline().dtype(), extras);
      } finally {
        for (Path f : extras.values()) Files.deleteIfExists(f);
        Files.deleteIfExists(images);
      }
      return tta == null
          ? new Gathered(gathered.editedAnchors(), List.of(), -1, 0)
          : new Gathered(gathered.editedAnchors(), tta.candidates(), tta.chosen(), ttaSeconds);
    }
  }
}
