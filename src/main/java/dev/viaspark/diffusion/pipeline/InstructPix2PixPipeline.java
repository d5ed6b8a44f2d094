package dev.viaspark.diffusion.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.GuidanceBranch;
import dev.viaspark.diffusion.clip.ClipTextModel;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.schedulers.DdimScheduler;
import dev.viaspark.diffusion.schedulers.Schedule;
import dev.viaspark.diffusion.schedulers.Scheduler;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.vae.AutoencoderKL;
import dev.viaspark.diffusion.weights.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * InstructPix2Pix on a diffusers checkpoint folder: the text and the input image condition a UNet
 * with 8 input channels (4 noisy latents, 4 image latents), with three-branch classifier-free
 * guidance {@code e_uncond + g (e_text - e_image) + ig (e_image - e_uncond)} in batch order {@code
 * [text+image, uncond+image, uncond+no image]}. Weights live on one device (float32 on CPU, float16
 * on GPU); every denoising step runs in its own NDArray scope, so memory stays flat over any number
 * of calls.
 */
public final class InstructPix2PixPipeline implements AutoCloseable {
  private final Path folder;
  private final NDManager manager;
  private final ClipTokenizer tokenizer;
  private final ClipTextModel textEncoder;
  private final AutoencoderKL vae;
  private final UNet2DConditionModel unet;
  private final Path schedulerConfig;
  private final int queryChunk;
  private final DataType dtype;

  private InstructPix2PixPipeline(
      Path folder,
      NDManager manager,
      ClipTokenizer tokenizer,
      ClipTextModel textEncoder,
      AutoencoderKL vae,
      UNet2DConditionModel unet,
      Path schedulerConfig,
      int queryChunk,
      DataType dtype) {
    this.folder = folder;
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.textEncoder = textEncoder;
    this.vae = vae;
    this.unet = unet;
    this.schedulerConfig = schedulerConfig;
    this.queryChunk = queryChunk;
    this.dtype = dtype;
  }

  /**
   * Loads a local diffusers folder (model_index.json, tokenizer/, text_encoder/, vae/, unet/,
   * scheduler/).
   *
   * @param dtype FLOAT32 (CPU) or FLOAT16 (GPU); weights stored in other precisions are converted
   *     on load
   * @param queryChunk attention queries per chunk (0: all at once)
   */
  public static InstructPix2PixPipeline load(
      Path folder, Device device, DataType dtype, int queryChunk) {
    for (String part : new String[] {"tokenizer", "text_encoder", "vae", "unet", "scheduler"}) {
      if (!Files.isDirectory(folder.resolve(part))) {
        throw new CheckpointException(
            folder + ": not a diffusers InstructPix2Pix folder (no " + part + "/)");
      }
    }
    NDManager manager = NDManager.newBaseManager(device);
    try {
      ClipTokenizer tokenizer = ClipTokenizer.load(folder.resolve("tokenizer"));
      ClipTextModel text = ClipTextModel.load(folder.resolve("text_encoder"), manager, dtype);
      AutoencoderKL vae = AutoencoderKL.load(folder.resolve("vae"), manager, dtype);
      UNet2DConditionModel unet = UNet2DConditionModel.load(folder.resolve("unet"), manager, dtype);
      int latent = vae.config().latentChannels();
      if (unet.config().inChannels() != 2 * latent || unet.config().outChannels() != latent) {
        throw new CheckpointException(
            folder.resolve("unet/config.json")
                + ": in_channels is "
                + unet.config().inChannels()
                + " and out_channels "
                + unet.config().outChannels()
                + "; InstructPix2Pix "
                + "needs "
                + 2 * latent
                + " in ("
                + latent
                + " noisy + "
                + latent
                + " image latent channels, the VAE's "
                + "latent_channels) and "
                + latent
                + " out");
      }
      Path schedulerConfig = folder.resolve("scheduler").resolve("scheduler_config.json");
      Scheduler.fromConfig(schedulerConfig, null); // fail now on a bad scheduler config
      return new InstructPix2PixPipeline(
          folder, manager, tokenizer, text, vae, unet, schedulerConfig, queryChunk, dtype);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public Path folder() {
    return folder;
  }

  public Device device() {
    return manager.getDevice();
  }

  public DataType dtype() {
    return dtype;
  }

  /**
   * NDArrays alive on the pipeline's device manager (weights and caches): flat across calls when
   * nothing leaks.
   */
  public int liveArrays() {
    return manager.getManagedArrays().size();
  }

  public UNet2DConditionModel unet() {
    return unet;
  }

  public AutoencoderKL vae() {
    return vae;
  }

  public Scheduler scheduler(String className) {
    return Scheduler.fromConfig(schedulerConfig, className);
  }

  /** The call's scheduler, with its DDIM eta. */
  private Scheduler scheduler(EditCall call) {
    Scheduler scheduler = scheduler(call.scheduler());
    if (call.ddimEta() == 0) return scheduler;
    if (scheduler instanceof DdimScheduler ddim) return ddim.withEta(call.ddimEta());
    throw new IllegalArgumentException(
        "edit.ddim-eta = "
            + call.ddimEta()
            + " needs DDIMScheduler, and "
            + folder
            + " schedules with "
            + scheduler.name()
            + ": set model.scheduler = DDIMScheduler or edit.ddim-eta = 0");
  }

  /** The prompt embeddings of a batch: [B, 77, H] for each text. */
  public NDArray encodePrompts(NDManager m, List<String> prompts) {
    int[][] ids = new int[prompts.size()][];
    for (int i = 0; i < ids.length; i++) ids[i] = tokenizer.encode(prompts.get(i));
    return textEncoder.encode(m, ids);
  }

  /**
   * Runs the edit and returns the decoded images [B, 3, H, W] in [0, 1], on the caller's manager.
   *
   * @param listener told after each denoising step (may be null)
   */
  public NDArray edit(NDManager caller, EditCall call, StepListener listener) {
    Edited edited = editFindingRegions(caller, call, listener);
    if (edited.regions() != null) edited.regions().close();
    return edited.images();
  }

  /**
   * The decoded images [B, 3, H, W] in [0, 1], and for a found mask the region each image kept [B,
   * 1, H, W] (1 on the latents it kept, before the dilation; null for any other call), on the
   * caller's manager.
   */
  public record Edited(NDArray images, NDArray regions) {}

  /**
   * Runs the edit ({@link #edit}) and also returns the regions a found mask kept ({@link Edited}).
   */
  public Edited editFindingRegions(NDManager caller, EditCall call, StepListener listener) {
    Denoised d = run(caller, call, listener);
    try (NDScope scope = new NDScope()) {
      NDArray image = ImageTensors.postprocess(decode(d.latents()));
      if (d.pixelMask() != null) {
        image = composite(image, call.images(), d.pixelMask());
      }
      d.latents().close();
      NDScope.unregister(image);
      image.attach(caller);
      return new Edited(image, d.region());
    }
  }

  /** Inside the mask the edited image, outside the source's own pixels (blended in between). */
  private static NDArray composite(NDArray image01, NDArray images, NDArray pixelMask) {
    NDArray source01 =
        images
            .toDevice(image01.getDevice(), true)
            .toType(image01.getDataType(), false)
            .add(1f)
            .div(2f);
    NDArray m = pixelMask.toDevice(image01.getDevice(), true).toType(image01.getDataType(), false);
    // as products, so that 1 gives the edit and 0 the source bit for bit
    return image01.mul(m).addi(source01.muli(m.neg().addi(1f)));
  }

  /**
   * The denoised latents [B, latent channels, h, w] (unit scale, as the pipeline holds them), on
   * the caller's manager.
   */
  public NDArray denoise(NDManager caller, EditCall call, StepListener listener) {
    return run(caller, call, listener).latents();
  }

  /**
   * The denoised latents, the mask at the images' size when the call has one, and a found mask's
   * region ({@link Edited}).
   */
  private record Denoised(NDArray latents, NDArray pixelMask, NDArray region) {}

  private Denoised run(NDManager caller, EditCall call, StepListener listener) {
    NDArray images = call.images();
    int batch = (int) images.getShape().get(0);
    List<String> prompts = expand(call.prompts(), batch);
    boolean guided = call.guided();
    Schedule schedule = scheduler(call).schedule(call.steps());
    List<GuidanceBranch> branches =
        guided ? List.of(GuidanceBranch.values()) : List.of(GuidanceBranch.TEXT_IMAGE);
    LatentMask mask = call.mask();
    if (mask != null) checkMask(mask, images, guided);
    try (NDManager run = manager.newSubManager()) {
      NDArray context;
      NDArray imageLatents;
      NDArray x;
      MaskedDenoising masked = null;
      CrossAttentionMaps attention = null;
      try (NDScope setup = new NDScope()) {
        NDArray input = images.toDevice(manager.getDevice(), true).toType(dtype, false);
        input.attach(run);
        NDArray text = encodePrompts(run, prompts);
        NDArray img = vae.encodeMean(input);
        if (guided) {
          String negative = call.negativePrompt() == null ? "" : call.negativePrompt();
          NDArray uncond = encodePrompts(run, expand(List.of(negative), batch));
          context = NDArrays.concat(new NDList(text, uncond, uncond), 0);
          imageLatents = NDArrays.concat(new NDList(img, img, img.zerosLike()), 0);
        } else {
          context = text;
          imageLatents = img;
        }
        Shape latentShape =
            new Shape(
                batch, vae.config().latentChannels(), img.getShape().get(2), img.getShape().get(3));
        NDArray unit =
            call.latents() != null
                ? call.latents().toDevice(manager.getDevice(), true).toType(dtype, false)
                : call.noise().next(run, latentShape).toType(dtype, false);
        if (!unit.getShape().equals(latentShape)) {
          throw new IllegalArgumentException(
              "initial latents are " + unit.getShape() + ", the images need " + latentShape);
        }
        x = unit.mul(schedule.initNoiseSigma());
        NDScope.unregister(context, imageLatents, x);
        context.attach(run);
        imageLatents.attach(run);
        x.attach(run);
        if (mask != null) {
          masked =
              new MaskedDenoising(
                  mask,
                  img.mul(vae.scalingFactor()),
                  unit,
                  images.getShape().get(2) / latentShape.get(2),
                  run,
                  dtype);
          if (mask.byAttention()) {
            int[][] positions = new int[batch][];
            for (int b = 0; b < batch; b++) {
              positions[b] = tokenizer.positionsOf(prompts.get(b), mask.words());
            }
            attention =
                new CrossAttentionMaps(
                    positions, tokenizer.maxLength(), latentShape.get(2), latentShape.get(3));
          }
        }
      }
      Conditioning conditioning = new Conditioning(context, imageLatents, branches, batch);
      if (masked != null && masked.probesSource()) {
        probeSource(call, schedule, masked, conditioning);
      }
      for (int i = 0; i < schedule.steps(); i++) {
        try (NDScope step = new NDScope()) {
          MaskedDenoising found = masked != null && masked.finding(i) ? masked : null;
          NDArray eps = guidedNoise(call, schedule, i, x, conditioning, found, attention);
          NDArray next = schedule.step(eps, i, x, call.noise()).prevSample();
          if (masked != null) next = masked.blend(next, i, schedule);
          NDScope.unregister(next);
          next.attach(run);
          x.close();
          x = next;
        }
        if (listener != null) listener.afterStep(i, x);
      }
      x.attach(caller);
      NDArray pixelMask = null, region = null;
      if (masked != null) {
        pixelMask = masked.pixels(images);
        if (mask.isFound()) {
          pixelMask.attach(caller);
          region = masked.region();
          region.attach(caller);
        }
      }
      return new Denoised(x, pixelMask, region);
    }
  }

  private static void checkMask(LatentMask mask, NDArray images, boolean guided) {
    if (mask.isFound()) {
      if (!guided) {
        throw new IllegalArgumentException(
            "a mask the model finds needs classifier-free guidance (guidance scale above 1 and"
                + " image guidance scale at least 1)");
      }
      return;
    }
    Shape m = mask.pixels().getShape(), im = images.getShape();
    if (m.get(0) != im.get(0) || m.get(2) != im.get(2) || m.get(3) != im.get(3)) {
      throw new IllegalArgumentException(
          "the mask is " + m + ", the images " + im + ": one [1, H, W] mask per image");
    }
  }

  /**
   * Finds the mask from the branches' difference on the source's latents noised to the probe's
   * steps (DiffEdit's way), before the edit's first step. The probe keeps the call's adapters (TTA)
   * but not its K/V hook: a Via gather must not record it as one of the edit's steps.
   */
  private void probeSource(
      EditCall call, Schedule schedule, MaskedDenoising masked, Conditioning conditioning) {
    int first = call.mask().firstProbeStep(schedule.steps());
    int count = Math.min(call.mask().findSteps(), schedule.steps() - first);
    for (int j = 0; j < count; j++) {
      try (NDScope probe = new NDScope()) {
        int i = first + j;
        NDList parts =
            unetBranches(
                    schedule,
                    i,
                    masked.noisedSource(i, schedule),
                    conditioning,
                    call.hook() == null ? AttentionHook.NONE : call.hook().adapterOnly())
                .split(3, 0);
        masked.addDifference(j, parts.get(0).sub(parts.get(1)), count);
      }
    }
  }

  /**
   * What every UNet call of an edit is conditioned on: the prompts' embeddings and the images'
   * latents, per guidance branch, branch-major.
   */
  private record Conditioning(
      NDArray context, NDArray imageLatents, List<GuidanceBranch> branches, int batch) {}

  /** The UNet's noise prediction for every guidance branch of {@code x} at step i. */
  private NDArray unetBranches(
      Schedule schedule, int i, NDArray x, Conditioning c, AttentionHook hook) {
    List<GuidanceBranch> branches = c.branches();
    NDArray xIn = branches.size() == 1 ? x : NDArrays.concat(new NDList(x, x, x), 0);
    NDArray unetIn =
        NDArrays.concat(new NDList(schedule.scaleModelInput(xIn, i), c.imageLatents()), 1);
    NDArray t =
        schedule.integerTimesteps()
            ? OwnedArrays.of(x.getManager(), (long) schedule.timestep(i))
            : OwnedArrays.of(x.getManager(), schedule.timestep(i));
    AttentionContext ctx =
        new AttentionContext(hook, i, schedule.timestep(i), branches, c.batch(), queryChunk);
    return unet.forward(unetIn, t, c.context(), ctx);
  }

  private NDArray guidedNoise(
      EditCall call,
      Schedule schedule,
      int i,
      NDArray x,
      Conditioning conditioning,
      MaskedDenoising found,
      CrossAttentionMaps attention) {
    boolean mapping = found != null && attention != null;
    AttentionHook hook = call.hook();
    if (mapping) hook = (hook == null ? AttentionHook.NONE : hook).andThen(attention);
    NDArray out = unetBranches(schedule, i, x, conditioning, hook);
    if (conditioning.branches().size() == 1) return out;
    NDList parts = out.split(3, 0);
    NDArray text = parts.get(0), image = parts.get(1), uncond = parts.get(2);
    if (mapping) {
      NDArray maps = attention.take();
      if (maps == null) throw new IllegalStateException("the UNet has no cross-attention to map");
      if (found.weighsDifferences()) {
        found.addDifference(i, text.sub(image), maps, schedule.steps());
      } else {
        found.addEvidence(i, maps, schedule.steps());
      }
    } else if (found != null) {
      found.addDifference(i, text.sub(image), schedule.steps());
    }
    // e_uncond + g (e_text - e_image) + ig (e_image - e_uncond)
    return text.sub(image)
        .muli(call.guidanceScale())
        .addi(image.sub(uncond).muli(call.imageGuidanceScale()))
        .addi(uncond);
  }

  /**
   * DDIM inversion ({@link InversionCall}): the latents [B, latent channels, h, w] at the first
   * timestep of a {@code steps}-step DDIM schedule, on the caller's manager, such that an {@link
   * EditCall} with the DDIM scheduler, these as its {@code latents}, the same instruction and
   * conditioning images and no guidance (guidance scale 1) gives the images back, up to the
   * inversion's error.
   */
  public NDArray invert(NDManager caller, InversionCall call) {
    NDArray images = call.images();
    int batch = (int) images.getShape().get(0);
    Scheduler ddim = scheduler(DdimScheduler.NAME);
    Schedule inverse = ((DdimScheduler) ddim).inverse(call.steps());
    AttentionHook hook = call.hook() == null ? AttentionHook.NONE : call.hook();
    List<GuidanceBranch> branches = List.of(GuidanceBranch.TEXT_IMAGE);
    try (NDManager run = manager.newSubManager()) {
      NDArray context;
      NDArray imageLatents;
      NDArray x;
      try (NDScope setup = new NDScope()) {
        NDArray input = images.toDevice(manager.getDevice(), true).toType(dtype, false);
        input.attach(run);
        context = encodePrompts(run, expand(call.prompts(), batch));
        NDArray conditioning = input;
        if (call.conditions() != null && call.conditions() != images) {
          if (!call.conditions().getShape().equals(images.getShape())) {
            throw new IllegalArgumentException(
                "the conditions are "
                    + call.conditions().getShape()
                    + ", the images "
                    + images.getShape());
          }
          conditioning = call.conditions().toDevice(manager.getDevice(), true).toType(dtype, false);
        }
        imageLatents = vae.encodeMean(conditioning);
        NDArray inverted =
            call.perturbation() == null ? input : call.perturbation().apply(input, call.noise());
        // one encoding where the inverted images are the conditioning ones
        x =
            inverted == conditioning
                ? imageLatents.mul(vae.scalingFactor())
                : vae.encodeMean(inverted).muli(vae.scalingFactor());
        NDScope.unregister(context, imageLatents, x);
        context.attach(run);
        imageLatents.attach(run);
        x.attach(run);
      }
      for (int i = 0; i < inverse.steps(); i++) {
        try (NDScope step = new NDScope()) {
          NDArray unetIn =
              NDArrays.concat(new NDList(inverse.scaleModelInput(x, i), imageLatents), 1);
          NDArray t = OwnedArrays.of(x.getManager(), (long) inverse.timestep(i));
          AttentionContext ctx =
              new AttentionContext(hook, i, inverse.timestep(i), branches, batch, queryChunk);
          NDArray eps = unet.forward(unetIn, t, context, ctx);
          NDArray next = inverse.step(eps, i, x, null).prevSample();
          NDScope.unregister(next);
          next.attach(run);
          x.close();
          x = next;
        }
      }
      x.attach(caller);
      return x;
    }
  }

  /** {@code vae.decode(latents / scaling_factor)}, raw (unclamped). */
  public NDArray decode(NDArray latents) {
    return vae.decode(latents.div(vae.scalingFactor()));
  }

  private static List<String> expand(List<String> prompts, int batch) {
    if (prompts.size() == batch) return prompts;
    if (prompts.size() != 1) {
      throw new IllegalArgumentException(
          prompts.size() + " prompts for " + batch + " images (give one or one per image)");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < batch; i++) out.add(prompts.get(0));
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
