package dev.viaspark.via;

import ai.djl.ndarray.NDManager;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.LoraAdapter;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.GuideFrames;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.edit.diffusion.MaskComposite;
import dev.viaspark.edit.diffusion.MaskFrames;
import dev.viaspark.edit.diffusion.ReferenceColours;
import dev.viaspark.edit.diffusion.ReferenceImage;
import dev.viaspark.video.VideoFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Swapping for one video: a frame-editing session that swaps the bank's K/V into every frame's
 * self-attention. With a guide ({@code edit.guide}) each frame first takes a guide's edit along the
 * source's motion ({@link GuideBank#carrier}), then is inverted and reconstructed with the swap
 * ({@link InstructPix2PixEditor#reconstruct}; {@code edit.guide-refine}) instead of edited from
 * noise. With a reference image ({@code edit.reference}) each frame's masked region takes the
 * reference's colours ({@link ReferenceColours}; an aligned reference whose edit no colour map
 * explains is carried along the source's motion as a guide of frame 0) and, as {@code
 * edit.reference-transfer} says, is then edited with the reference's K/V swapped in, conditioned on
 * the frame so started. With {@code edit.mask-auto-regions = follow} each frame keeps the region
 * over the one its anchor kept, carried along the source's motion ({@link AnchorRegions}).
 */
public final class ViaSwap {
  private ViaSwap() {}

  /**
   * @param residentBytes how much of the bank stays in memory across batches (see {@link
   *     FileKvBank})
   * @param sourceAt the video's source frame of an index, for a guided video's session that starts
   *     after a guide (its edit is carried through the frames between, {@link GuideBank#carrier}),
   *     and frame 0 for a reference aligned with the video ({@code edit.reference-aligned})
   */
  public static FrameEditor.Session open(
      InstructPix2PixEditor editor,
      VideoContext video,
      Path bankFolder,
      long residentBytes,
      IntFunction<VideoFrame> sourceAt) {
    boolean guided = GuideFrames.uriOf(video) != null;
    String instruction =
        guided || ReferenceImage.uriOf(video) != null
            ? InstructPix2PixEditor.guidedPromptOf(video)
            : InstructPix2PixEditor.instructionOf(video);
    NDManager manager = NDManager.newBaseManager(editor.pipeline().device());
    FileKvBank bank;
    try {
      bank = FileKvBank.open(bankFolder, manager, editor.pipeline().dtype(), residentBytes);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    AttentionHook swap = new SwapHook(bank);
    GuideBank.Carrier carrier;
    AnchorRegions.Carrier regions;
    MaskFrames masks;
    ReferenceColours colours;
    GuideBank.Carrier referenceCarrier = null;
    try {
      Path adapter = KvBankFiles.extra(bankFolder, KvBankFiles.ADAPTER);
      if (adapter != null)
        swap = swap.andThen(LoraAdapter.read(adapter, manager, editor.pipeline().dtype()));
      carrier = guided ? GuideBank.read(bankFolder).carrier(sourceAt) : null;
      AnchorRegions anchorRegions = guided ? null : AnchorRegions.readIfAny(bankFolder);
      regions = anchorRegions == null ? null : anchorRegions.carrier(sourceAt);
      masks = editor.masks(video);
      boolean takesLook = ReferenceImage.uriOf(video) != null && editor.transfersReferenceColours();
      VideoFrame reference = takesLook ? editor.reference(video) : null;
      colours = takesLook ? editor.referenceColours(video, reference, masks, sourceAt) : null;
      if (takesLook && colours == null) {
        // an aligned reference whose edit is not one of colours: carried as a guide of frame 0
        referenceCarrier =
            GuideBank.of(List.of(reference), List.of(sourceAt.apply(0))).carrier(sourceAt);
      }
    } catch (RuntimeException e) {
      bank.close();
      manager.close();
      throw e;
    }
    AttentionHook hook = swap;
    GuideBank.Carrier carried = referenceCarrier;
    return new FrameEditor.Session() {
      @Override
      public List<VideoFrame> edit(List<VideoFrame> frames) {
        if (guided) {
          List<VideoFrame> carried = frames.stream().map(carrier::carry).toList();
          if (!editor.refinesGuide()) return carried;
          return editor.reconstruct(video, instruction, carried, carried, hook);
        }
        if (regions != null) {
          List<byte[]> priors = frames.stream().map(regions::carry).toList();
          return editor.editFollowing(video, instruction, frames, hook, priors).frames();
        }
        List<byte[]> frameMasks = InstructPix2PixEditor.masksOf(masks, frames);
        List<VideoFrame> started = frames;
        if (colours != null || carried != null) {
          started = new ArrayList<>(frames.size());
          for (int i = 0; i < frames.size(); i++) {
            VideoFrame f = frames.get(i);
            started.add(
                colours != null
                    ? colours.transfer(f, frameMasks.get(i))
                    : f.withPixels(
                        MaskComposite.apply(f.rgb(), carried.carry(f).rgb(), frameMasks.get(i))));
          }
          if (!editor.swapsReference()) return started;
        }
        return editor.edit(video, instruction, started, hook, frameMasks);
      }

      @Override
      public void close() {
        if (masks != null) masks.close();
        bank.close();
        manager.close();
      }
    };
  }
}
