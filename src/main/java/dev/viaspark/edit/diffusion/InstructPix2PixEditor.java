package dev.viaspark.edit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import dev.viaspark.config.ViasparkSettings.SeedGenerator;
import dev.viaspark.config.ViasparkSettings.SeedMode;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.pipeline.EditCall;
import dev.viaspark.diffusion.pipeline.ImageTensors;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import dev.viaspark.diffusion.pipeline.InversionCall;
import dev.viaspark.diffusion.pipeline.LatentMask;
import dev.viaspark.diffusion.pipeline.ModelFolders;
import dev.viaspark.diffusion.pipeline.Pipelines;
import dev.viaspark.diffusion.pipeline.SmoothAreaPerturbation;
import dev.viaspark.diffusion.schedulers.DdimScheduler;
import dev.viaspark.diffusion.schedulers.NoiseSource;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditorProvider;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * {@code ip2p}: InstructPix2Pix on every frame, from the video's instruction. The model is loaded
 * once per JVM and device ({@link Pipelines}); each frame's noise comes from (seed, video[, frame])
 * only.
 */
public final class InstructPix2PixEditor implements FrameEditor {
  private final InstructPix2PixPipeline pipeline;
  private final IP2PSettings settings;
  private final int batchSize;
  private final Storage storage;

  InstructPix2PixEditor(
      InstructPix2PixPipeline pipeline, IP2PSettings settings, int batchSize, Storage storage) {
    this.pipeline = pipeline;
    this.settings = settings;
    this.batchSize = batchSize;
    this.storage = storage;
  }

  @Override
  public String name() {
    return "ip2p";
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  public InstructPix2PixPipeline pipeline() {
    return pipeline;
  }

  @Override
  public Session open(VideoContext video) {
    String instruction = instructionOf(video);
    MaskFrames masks = masks(video);
    return new Session() {
      @Override
      public List<VideoFrame> edit(List<VideoFrame> frames) {
        return InstructPix2PixEditor.this.edit(
            video, instruction, frames, AttentionHook.NONE, masksOf(masks, frames));
      }

      @Override
      public void close() {
        if (masks != null) masks.close();
      }
    };
  }

  /** The video's masks ({@code edit.mask}), or null when it has none; the caller closes them. */
  public MaskFrames masks(VideoContext video) {
    return MaskFrames.open(video, storage);
  }

  /** The video's guide frames ({@code edit.guide}), ascending by the index each replaces. */
  public List<VideoFrame> guides(VideoContext video) {
    return GuideFrames.load(video, storage);
  }

  /** The video's reference image ({@code edit.reference}) at its size. */
  public VideoFrame reference(VideoContext video) {
    return ReferenceImage.load(video, storage);
  }

  /**
   * Whether guided frames, once their guide's edit is carried onto them, are inverted and
   * reconstructed with the guides' K/V ({@code edit.guide-refine}).
   */
  public boolean refinesGuide() {
    return settings.guideRefine();
  }

  /**
   * {@code edit.reference-transfer}: the masked region takes the reference's colours, and that is
   * all.
   */
  public static final String COLOURS = "colours";

  /**
   * {@code edit.reference-transfer}: the reference's colours, then the edit with its K/V swapped
   * in.
   */
  public static final String COLOURS_THEN_SWAP = "colours-then-swap";

  /**
   * {@code edit.reference-transfer}: the edit of the frame as it is, with the reference's K/V
   * swapped in.
   */
  public static final String SWAP = "swap";

  /**
   * {@code edit.mask-auto-snap}: a found mask's composite follows the source's own regions of
   * similar colour.
   */
  public static final String SEGMENTS = "segments";

  /**
   * {@code edit.mask-auto-snap}: a found mask's composite follows its latents, with a one-latent
   * margin drawn by colour.
   */
  public static final String MARGIN = "margin";

  /**
   * {@code edit.mask-auto-weight}: an {@code auto} mask's branch differences are weighed by the
   * instructed branch's cross-attention to the instruction's words.
   */
  public static final String ATTENTION = "attention";

  /**
   * Mean levels (0-255) by which the colour map of an aligned reference may miss it on frame 0 for
   * its edit to count as a colour edit; toy colour edits leave under 3, stripes tens.
   */
  public static final double COLOUR_MAP_TOLERANCE = 8;

  /**
   * Whether the masked region of a reference video's frames takes the reference's look before
   * anything else ({@code edit.reference-transfer = colours} or {@code colours-then-swap}).
   */
  public boolean transfersReferenceColours() {
    return settings.referenceColours();
  }

  /**
   * The colours the masked region of a video's frames takes from its reference image before
   * anything else ({@code edit.reference-transfer = colours} or {@code colours-then-swap}), or null
   * when it takes none ({@code swap}). A reference aligned with the video ({@code
   * edit.reference-aligned}) gives the colour map fitted from frame 0 to it under frame 0's mask,
   * or null when that map misses it by more than {@link #COLOUR_MAP_TOLERANCE} (the edit is not one
   * of colours: {@link dev.viaspark.via.ViaSwap} then carries it along the source's motion);
   * another gives its colours' mean and spread.
   *
   * @param reference the video's reference image ({@link #reference})
   * @param masks the video's masks
   * @param sourceAt the video's source frame of an index (frame 0 is read for an aligned reference)
   * @throws IllegalArgumentException naming the reference when its region is empty, or when the
   *     video's masks are found during the edit ({@code masks} null) so there is no region to move
   *     the colours into first
   */
  public ReferenceColours referenceColours(
      VideoContext video,
      VideoFrame reference,
      MaskFrames masks,
      IntFunction<VideoFrame> sourceAt) {
    if (!settings.referenceColours()) return null;
    String uri = ReferenceImage.uriOf(video);
    if (masks == null) {
      throw new IllegalArgumentException(
          "edit.reference "
              + uri
              + ": edit.reference-transfer = "
              + (settings.referenceSwap() ? COLOURS_THEN_SWAP : COLOURS)
              + " needs a mask given as an image or video (edit.mask), not "
              + video.options().get(MaskFrames.OPTION));
    }
    try {
      return settings.referenceAligned()
          ? ReferenceColours.ofEditedFrameIfColours(
              sourceAt.apply(0),
              reference,
              masks.of(List.of(reference)).get(0),
              COLOUR_MAP_TOLERANCE)
          : ReferenceColours.ofLook(reference, null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("edit.reference " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a video with a reference image is edited with the reference's K/V swapped in ({@code
   * edit.reference-transfer = swap} or {@code colours-then-swap}); else its frames are the
   * reference's colours moved into their masks.
   */
  public boolean swapsReference() {
    return settings.referenceSwap();
  }

  /**
   * The prompt of a guided edit or one from a reference image: the video's instruction, or none
   * (the guide or the reference alone).
   */
  public static String guidedPromptOf(VideoContext video) {
    return video.instruction() == null ? "" : video.instruction().trim();
  }

  /** {@code masks}' masks of {@code frames}, or null for no masks. */
  public static List<byte[]> masksOf(MaskFrames masks, List<VideoFrame> frames) {
    return masks == null ? null : masks.of(frames);
  }

  /** The video's instruction; a video without one cannot be edited by a text-guided model. */
  public static String instructionOf(VideoContext video) {
    String instruction = video.instruction() == null ? "" : video.instruction().trim();
    if (instruction.isEmpty()) {
      throw new IllegalArgumentException(
          "the ip2p editor needs an instruction (edit.instruction, --instruction or "
              + "the manifest's instruction column)");
    }
    return instruction;
  }

  /**
   * Edits a batch of frames of one video, with an attention hook (Via's gather and swap use it).
   */
  public List<VideoFrame> edit(
      VideoContext video, String instruction, List<VideoFrame> frames, AttentionHook hook) {
    return edit(video, instruction, frames, hook, null);
  }

  /**
   * Edits a batch of frames that may change only where their masks are white (Via's local latent
   * adaptation, {@link LatentMask}).
   *
   * @param masks one per frame at the frame's size, one byte per pixel (255: may change, 0: stays
   *     the source, values between blend), or null to edit everywhere
   */
  public List<VideoFrame> edit(
      VideoContext video,
      String instruction,
      List<VideoFrame> frames,
      AttentionHook hook,
      List<byte[]> masks) {
    return edit(video, instruction, frames, hook, masks, null).frames();
  }

  /**
   * Edited frames and, when the model found their masks ({@code edit.mask = auto} or {@code
   * attention}), the region each kept: one byte per pixel at the frame's size, 255 on the region
   * (before the composite's margin), else 0; null otherwise.
   */
  public record Edited(List<VideoFrame> frames, List<byte[]> regions) {}

  /**
   * Edits a batch of frames with the masks the model finds, each keeping the region that overlaps
   * its prior most ({@code edit.mask-auto-regions = follow}: the region its anchor kept, carried
   * onto it), and returns the regions kept.
   *
   * @param priors one per frame at the frame's size, one byte per pixel (255: the region to
   *     follow), or null to keep the strongest region
   */
  public Edited editFollowing(
      VideoContext video,
      String instruction,
      List<VideoFrame> frames,
      AttentionHook hook,
      List<byte[]> priors) {
    if (!MaskFrames.isFound(video.options().get(MaskFrames.OPTION))) {
      throw new IllegalArgumentException(
          "following a region needs a mask the model finds (edit.mask = auto or attention)");
    }
    return edit(video, instruction, frames, hook, null, priors);
  }

  private Edited edit(
      VideoContext video,
      String instruction,
      List<VideoFrame> frames,
      AttentionHook hook,
      List<byte[]> masks,
      List<byte[]> priors) {
    if (frames.isEmpty()) return new Edited(frames, null);
    checkOnePerFrame(masks, frames);
    checkOnePerFrame(priors, frames);
    if (!pipeline.device().isGpu()) TorchThreads.applyShare();
    int w = frames.get(0).width(), h = frames.get(0).height();
    int mw = FrameResizer.modelSide(w), mh = FrameResizer.modelSide(h);
    try (NDManager m = NDManager.newBaseManager(pipeline.device())) {
      LatentMask found = foundMask(video.options().get(MaskFrames.OPTION));
      if (found != null && priors != null) found = found.following(gray(m, priors, w, h));
      EditCall call =
          new EditCall(
              modelImages(m, frames),
              List.of(instruction),
              settings.negativePrompt(),
              settings.steps(),
              settings.guidanceScale(),
              settings.imageGuidanceScale(),
              settings.scheduler(),
              noise(video, frames),
              null,
              hook,
              masks != null
                  ? LatentMask.given(
                      gray(m, masks, w, h), settings.maskRampStart(), settings.maskRampLength())
                  : found,
              settings.ddimEta());
      InstructPix2PixPipeline.Edited edited = pipeline.editFindingRegions(m, call, null);
      byte[][] rgb = ImageTensors.toRgb(edited.images());
      List<VideoFrame> out = new ArrayList<>(frames.size());
      for (int i = 0; i < frames.size(); i++) {
        byte[] pixels = FrameResizer.resizeRgb(rgb[i], mw, mh, w, h);
        // at the model's size the pipeline already kept the outside; resizing back moves it a bit
        if (masks != null && (mw != w || mh != h)) {
          pixels = MaskComposite.apply(frames.get(i).rgb(), pixels, masks.get(i));
        }
        out.add(frames.get(i).withPixels(pixels));
      }
      return new Edited(out, edited.regions() == null ? null : regions(edited.regions(), w, h));
    }
  }

  private static void checkOnePerFrame(List<byte[]> masks, List<VideoFrame> frames) {
    if (masks != null && masks.size() != frames.size()) {
      throw new IllegalArgumentException(masks.size() + " masks for " + frames.size() + " frames");
    }
  }

  /** Masks of one byte per pixel at the frames' size, as [B, 1, h, w] in [0, 1] at the model's. */
  private static NDArray gray(NDManager m, List<byte[]> masks, int w, int h) {
    int mw = FrameResizer.modelSide(w), mh = FrameResizer.modelSide(h);
    NDList arrays = new NDList();
    for (byte[] full : masks) {
      byte[] mask = FrameResizer.resizeGray(full, w, h, mw, mh);
      arrays.add(
          OwnedArrays.of(m, ByteBuffer.wrap(mask), new Shape(1, 1, mh, mw), DataType.UINT8)
              .toType(DataType.FLOAT32, false)
              .divi(255f));
    }
    return concat(arrays);
  }

  /** Regions [B, 1, h, w] of 0 and 1 at the model's size as bytes (0, 255) at the frames'. */
  private static List<byte[]> regions(NDArray regions, int w, int h) {
    Shape s = regions.getShape();
    int mh = (int) s.get(2), mw = (int) s.get(3), n = mw * mh;
    byte[] all = regions.mul(255f).toType(DataType.UINT8, false).toByteArray();
    List<byte[]> out = new ArrayList<>();
    for (int b = 0; b < s.get(0); b++) {
      out.add(FrameResizer.resizeGray(Arrays.copyOfRange(all, b * n, (b + 1) * n), mw, mh, w, h));
    }
    return out;
  }

  /**
   * Whether the video's frames keep the regions its anchors kept ({@code edit.mask-auto-regions =
   * follow} with a mask the model finds).
   */
  public boolean followsAnchorRegions(VideoContext video) {
    return settings.maskAutoRegions().equals("follow")
        && MaskFrames.isFound(video.options().get(MaskFrames.OPTION));
  }

  /** The mask the model finds for an {@code edit.mask} value, or null when the value is not one. */
  private LatentMask foundMask(String option) {
    if (!MaskFrames.isFound(option)) return null;
    int steps = settings.maskAutoSteps();
    float threshold = settings.maskAutoThreshold();
    boolean strongest = !settings.maskAutoRegions().equals("all");
    float rampStart = settings.maskRampStart(), rampLength = settings.maskRampLength();
    List<String> words = MaskFrames.attentionWords(option);
    LatentMask found =
        words == null
            ? LatentMask.found(steps, threshold, strongest, rampStart, rampLength)
                .probing(settings.maskAutoProbe())
            : LatentMask.attending(words, steps, threshold, strongest, rampStart, rampLength);
    if (words == null && settings.maskAutoWeighted()) found = found.weighedByAttention();
    return found.snappedToSegments(settings.maskAutoSegments());
  }

  /**
   * Reconstructs frames from their DDIM inversion under an attention hook: each frame is inverted
   * conditioned on its condition frame and the prompt (after the smooth-area perturbation, {@code
   * edit.inversion-perturbation}), then denoised back with DDIM, the same conditioning and no
   * guidance, the hook running at every denoising step. With no hook the frames come back up to the
   * inversion's error; with Via's gather hook an edited keyframe gives its K/V (conditioned on its
   * source frame), with the swap hook every frame takes the bank's appearance (guided editing,
   * {@code edit.guide}).
   *
   * @param conditions one per frame, same size and indices (the frames themselves when editing)
   */
  public List<VideoFrame> reconstruct(
      VideoContext video,
      String prompt,
      List<VideoFrame> frames,
      List<VideoFrame> conditions,
      AttentionHook hook) {
    if (frames.isEmpty()) return frames;
    if (conditions.size() != frames.size()) {
      throw new IllegalArgumentException(
          conditions.size() + " condition frames for " + frames.size() + " frames");
    }
    if (!pipeline.device().isGpu()) TorchThreads.applyShare();
    int w = frames.get(0).width(), h = frames.get(0).height();
    int mw = FrameResizer.modelSide(w), mh = FrameResizer.modelSide(h);
    try (NDManager m = NDManager.newBaseManager(pipeline.device())) {
      NDArray images = modelImages(m, frames);
      NDArray conditioning = frames == conditions ? images : modelImages(m, conditions);
      NoiseSource noise = noise(video, frames);
      NDArray inverted =
          pipeline.invert(
              m,
              new InversionCall(
                  images,
                  conditioning,
                  List.of(prompt),
                  settings.steps(),
                  settings.inversionPerturbation() > 0
                      ? new SmoothAreaPerturbation(
                          SmoothAreaPerturbation.I2VEDIT.gradientThreshold(),
                          settings.inversionPerturbation())
                      : null,
                  noise,
                  null));
      EditCall call =
          new EditCall(
              conditioning,
              List.of(prompt),
              null,
              settings.steps(),
              1f,
              1f,
              DdimScheduler.NAME,
              noise,
              inverted,
              hook,
              null);
      byte[][] rgb = ImageTensors.toRgb(pipeline.edit(m, call, null));
      List<VideoFrame> out = new ArrayList<>(frames.size());
      for (int i = 0; i < frames.size(); i++) {
        out.add(frames.get(i).withPixels(FrameResizer.resizeRgb(rgb[i], mw, mh, w, h)));
      }
      return out;
    }
  }

  /** The frames at the model's size, as the pipeline takes images. */
  /** Frames at the model's size, as the pipeline takes them: [B, 3, h, w] in [-1, 1]. */
  public static NDArray modelImages(NDManager m, List<VideoFrame> frames) {
    int w = frames.get(0).width(), h = frames.get(0).height();
    int mw = FrameResizer.modelSide(w), mh = FrameResizer.modelSide(h);
    NDList images = new NDList();
    for (VideoFrame f : frames) {
      images.add(ImageTensors.fromRgb(m, FrameResizer.resizeRgb(f.rgb(), w, h, mw, mh), mw, mh));
    }
    return concat(images);
  }

  /** Each frame's noise, from (seed, video[, frame]) only. */
  private NoiseSource noise(VideoContext video, List<VideoFrame> frames) {
    List<NoiseSource> noise = new ArrayList<>();
    for (VideoFrame f : frames) {
      noise.add(
          FrameSeeds.noise(
              video.seed(),
              video.input(),
              f.index(),
              settings.seedMode(),
              settings.seedGenerator()));
    }
    return new BatchNoise(noise);
  }

  private static NDArray concat(NDList arrays) {
    return arrays.size() == 1 ? arrays.get(0) : NDArrays.concat(arrays, 0);
  }

  /** The editor's settings, read from the effective config. */
  record IP2PSettings(
      String modelPath,
      int steps,
      float guidanceScale,
      float imageGuidanceScale,
      String negativePrompt,
      String scheduler,
      float ddimEta,
      String dtype,
      int attentionChunk,
      String cacheDir,
      SeedMode seedMode,
      SeedGenerator seedGenerator,
      int batchSize,
      float maskRampStart,
      float maskRampLength,
      float maskAutoStepShare,
      float maskAutoThreshold,
      String maskAutoRegions,
      float maskAutoProbe,
      boolean maskAutoSegments,
      boolean maskAutoWeighted,
      float inversionPerturbation,
      boolean guideRefine,
      boolean referenceColours,
      boolean referenceSwap,
      boolean referenceAligned) {
    /** The steps whose branch differences find an {@code auto} mask: at least one. */
    int maskAutoSteps() {
      return Math.max(1, Math.round(maskAutoStepShare * steps));
    }

    static IP2PSettings from(Config c) {
      String scheduler = c.getString("model.scheduler");
      return new IP2PSettings(
          c.getString("model.path"),
          c.getInt("edit.steps"),
          (float) c.getDouble("edit.guidance-scale"),
          (float) c.getDouble("edit.image-guidance-scale"),
          c.getString("edit.negative-prompt"),
          scheduler.isBlank() ? null : scheduler,
          (float) c.getDouble("edit.ddim-eta"),
          c.getString("model.dtype"),
          c.getInt("model.attention-chunk"),
          c.getString("model.cache-dir"),
          c.getString("seed.mode").equals("per-frame") ? SeedMode.PER_FRAME : SeedMode.SHARED,
          c.getString("seed.generator").equals("torch")
              ? SeedGenerator.TORCH
              : SeedGenerator.VIASPARK,
          c.getInt("edit.batch-size"),
          (float) c.getDouble("edit.mask-ramp-start"),
          (float) c.getDouble("edit.mask-ramp-length"),
          (float) c.getDouble("edit.mask-auto-steps"),
          (float) c.getDouble("edit.mask-auto-threshold"),
          c.getString("edit.mask-auto-regions"),
          (float) c.getDouble("edit.mask-auto-probe"),
          c.getString("edit.mask-auto-snap").equals(SEGMENTS),
          c.getString("edit.mask-auto-weight").equals(ATTENTION),
          (float) c.getDouble("edit.inversion-perturbation"),
          c.getBoolean("edit.guide-refine"),
          !c.getString("edit.reference-transfer").equals(SWAP),
          !c.getString("edit.reference-transfer").equals(COLOURS),
          c.getBoolean("edit.reference-aligned"));
    }

    DataType dataType(Device device) {
      return switch (dtype) {
        case "float32" -> DataType.FLOAT32;
        case "float16" -> DataType.FLOAT16;
        default -> device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
      };
    }

    File cacheRoot() {
      return cacheDir.isBlank()
          ? new File(System.getProperty("java.io.tmpdir"), "viaspark-models")
          : new File(cacheDir);
    }
  }

  /** Finds the editor by {@code ip2p} or {@code instruct-pix2pix}. */
  public static final class Provider implements FrameEditorProvider {
    private static final List<String> SCHEDULERS =
        List.of("", "EulerAncestralDiscreteScheduler", "EulerDiscreteScheduler", "DDIMScheduler");

    @Override
    public List<String> names() {
      return List.of("ip2p", "instruct-pix2pix");
    }

    @Override
    public String description() {
      return "InstructPix2Pix diffusion edit from the instruction (model.path = a diffusers folder)";
    }

    @Override
    public void validate(Config c) {
      List<String> problems = new ArrayList<>();
      String path = c.getString("model.path");
      if (path.isBlank()) {
        problems.add(
            "model.path is empty: the ip2p editor needs a diffusers InstructPix2Pix folder");
      } else if (!path.contains(":/") || path.startsWith("file:")) {
        Path local = Path.of(path.replaceFirst("^file:(//)?", ""));
        if (!Files.isDirectory(local.resolve("unet"))) {
          problems.add("model.path = " + path + ": not a diffusers folder (no unet/ inside)");
        }
      }
      if (!SCHEDULERS.contains(c.getString("model.scheduler"))) {
        problems.add(
            "model.scheduler = "
                + c.getString("model.scheduler")
                + ": must be one of "
                + String.join(", ", SCHEDULERS.subList(1, SCHEDULERS.size()))
                + " (or empty for the checkpoint's own)");
      }
      double eta = c.getDouble("edit.ddim-eta");
      String scheduler = c.getString("model.scheduler");
      if (!(eta >= 0 && eta <= 1)) {
        problems.add("edit.ddim-eta = " + eta + ": a share of each step's variance, 0-1");
      } else if (eta > 0 && !scheduler.isBlank() && !scheduler.equals(DdimScheduler.NAME)) {
        problems.add(
            "edit.ddim-eta = "
                + eta
                + " is DDIM's, and model.scheduler = "
                + scheduler
                + ": set model.scheduler = DDIMScheduler or edit.ddim-eta = 0");
      }
      if (!List.of("auto", "float32", "float16").contains(c.getString("model.dtype"))) {
        problems.add(
            "model.dtype = " + c.getString("model.dtype") + ": must be auto, float32 or float16");
      }
      if (c.getInt("model.attention-chunk") < 0) problems.add("model.attention-chunk must be >= 0");
      double autoThreshold = c.getDouble("edit.mask-auto-threshold");
      if (!(autoThreshold > 0 && autoThreshold < 1)) {
        problems.add("edit.mask-auto-threshold = " + autoThreshold + ": must be in (0, 1)");
      }
      double probe = c.getDouble("edit.mask-auto-probe");
      if (!(probe >= 0 && probe < 1)) {
        problems.add(
            "edit.mask-auto-probe = "
                + probe
                + ": 0 (along the edit) or a share of the steps below 1");
      }
      String snap = c.getString("edit.mask-auto-snap");
      if (!List.of(SEGMENTS, MARGIN).contains(snap)) {
        problems.add("edit.mask-auto-snap = " + snap + ": must be segments or margin");
      }
      String weight = c.getString("edit.mask-auto-weight");
      if (!List.of(ATTENTION, "none").contains(weight)) {
        problems.add("edit.mask-auto-weight = " + weight + ": must be attention or none");
      } else if (weight.equals(ATTENTION) && probe > 0) {
        problems.add(
            "edit.mask-auto-weight = attention weighs the differences along the edit's own steps,"
                + " and edit.mask-auto-probe = "
                + probe
                + " takes them before it: set one of them to none / 0");
      }
      String regions = c.getString("edit.mask-auto-regions");
      if (!List.of("strongest", "all", "follow").contains(regions)) {
        problems.add("edit.mask-auto-regions = " + regions + ": must be strongest, all or follow");
      } else if (regions.equals("follow") && !c.getBoolean("via.enabled")) {
        problems.add(
            "edit.mask-auto-regions = follow: the frames follow the regions of Via's anchors,"
                + " so it needs via.enabled = true");
      }
      for (String key :
          List.of("edit.mask-ramp-start", "edit.mask-ramp-length", "edit.mask-auto-steps")) {
        double v = c.getDouble(key);
        if (!(v >= 0 && v <= 1)) problems.add(key + " = " + v + ": a fraction of the steps, 0-1");
      }
      double perturbation = c.getDouble("edit.inversion-perturbation");
      if (!(perturbation >= 0 && perturbation <= 1)) {
        problems.add(
            "edit.inversion-perturbation = " + perturbation + ": a noise scale, 0 (off) to 1");
      }
      String transfer = c.getString("edit.reference-transfer");
      if (!List.of(COLOURS, COLOURS_THEN_SWAP, SWAP).contains(transfer)) {
        problems.add(
            "edit.reference-transfer = "
                + transfer
                + ": must be "
                + COLOURS
                + ", "
                + COLOURS_THEN_SWAP
                + " or "
                + SWAP);
      } else if (!c.getString("edit.reference").isBlank()
          && !transfer.equals(SWAP)
          && MaskFrames.isFound(c.getString("edit.mask"))) {
        problems.add(
            "edit.reference-transfer = "
                + transfer
                + " needs a mask given as an image or video (edit.mask), not one the model finds ("
                + c.getString("edit.mask")
                + "): the colours are moved before the edit");
      }
      if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    }

    @Override
    public FrameEditor create(String name, Config c, Device device) {
      return create(name, c, device, Storage.local());
    }

    @Override
    public FrameEditor create(String name, Config c, Device device, Storage storage) {
      IP2PSettings s = IP2PSettings.from(c);
      Path folder = ModelFolders.local(s.modelPath(), storage, s.cacheRoot());
      // qualified: our Device is the one imported
      ai.djl.Device djl = device.isGpu() ? ai.djl.Device.gpu(device.index()) : ai.djl.Device.cpu();
      InstructPix2PixPipeline pipeline =
          Pipelines.shared(folder, djl, s.dataType(device), s.attentionChunk());
      int batch = s.batchSize() > 0 ? s.batchSize() : device.isGpu() ? 4 : 1;
      return new InstructPix2PixEditor(pipeline, s, batch, storage);
    }
  }
}
