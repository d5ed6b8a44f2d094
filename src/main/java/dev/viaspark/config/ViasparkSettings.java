package dev.viaspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.viaspark.edit.FrameEditorProvider;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.via.LayerSelection;
import dev.viaspark.video.EncoderSettings;
import dev.viaspark.video.OutputCodec;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The validated, typed settings of a job (or of one manifest row with its overrides). Built only by
 * {@link ConfigLayers#resolve()}, so every instance has passed validation. Serializable: it travels
 * to executors.
 */
public final class ViasparkSettings implements Serializable {
  public enum SeedMode {
    SHARED,
    PER_FRAME
  }

  /** {@code seed.generator}: where the diffusion noise comes from. */
  public enum SeedGenerator {
    /** viaspark's own, from a hash of the seed, the video's file name and (per-frame) the frame. */
    VIASPARK,
    /** PyTorch's CPU generator, seeded with the seed (per-frame: plus the frame's index). */
    TORCH
  }

  private final Config config;
  public final String editor;
  public final String instruction;

  /** {@code edit.mask}: "none", or a mask URI in which {@code {name}} is still unresolved. */
  public final String mask;

  /** {@code edit.guide}: "", or a folder URI in which {@code {name}} is still unresolved. */
  public final String guide;

  /** {@code edit.reference}: "", or an image URI in which {@code {name}} is still unresolved. */
  public final String reference;

  public final int batchSize;
  public final int steps;
  public final String modelPath;
  public final long seed;
  public final SeedMode seedMode;
  public final SeedGenerator seedGenerator;
  public final int segmentFrames;
  public final EncoderSettings encoder;
  public final boolean overwrite;
  public final boolean viaEnabled;
  public final int viaAnchors;
  public final int[] viaAnchorFrames;
  public final int viaSwapSteps;
  public final String viaLayers;
  public final boolean viaCrossAttention;
  public final long viaInlineBankBytes;
  public final long viaBankCacheBytes;
  public final long viaBankMemoryBytes;

  /** Via's test-time editing adaptation ({@code via.tta.*}). */
  public final boolean ttaEnabled;

  public final int ttaSteps;
  public final int ttaRank;
  public final double ttaLearningRate;
  public final int ttaExamplesPerStep;
  public final int ttaCandidates;

  /** The root candidate to tune on, -1 to choose it by consensus. */
  public final int ttaRootCandidate;

  public final String workDir;
  public final boolean failFast;
  public final boolean keepSegments;
  public final long inputCacheBytes;
  public final int progressInterval;

  /**
   * libtorch threads per CPU task of the model stages ({@code model.cpu-threads}); 0 for {@code
   * spark.task.cpus}.
   */
  public final int cpuThreads;

  /**
   * Whether the edit stage scores temporal consistency into the report ({@code
   * report.temporal-metrics}).
   */
  public final boolean temporalMetrics;

  /** Stage-level scheduling of the gather and edit stages ({@code resources.*}). */
  public final GpuStages gpuStages;

  public enum GpuStageMode {
    OFF,
    ON,
    AUTO
  }

  /**
   * The GPU resource profile the gather and edit stages ask for when {@code resources.gpu-stages}
   * is not off.
   */
  public record GpuStages(
      GpuStageMode mode,
      int executorGpus,
      int executorCores,
      String executorMemory,
      double taskGpus,
      int taskCpus,
      String discoveryScript,
      String vendor)
      implements Serializable {}

  private ViasparkSettings(Config c, List<String> problems) {
    config = c;
    editor = get(problems, "edit.editor", () -> c.getString("edit.editor"), "");
    instruction = get(problems, "edit.instruction", () -> c.getString("edit.instruction"), "");
    mask = get(problems, "edit.mask", () -> c.getString("edit.mask").trim(), "none");
    if (mask.isEmpty())
      problems.add("edit.mask is empty: none, or the URI of a mask image or video");
    else if (!mask.equals("none") && !isDiffusionEditor(editor)) {
      problems.add(
          "edit.mask = " + mask + " needs a diffusion editor (edit.editor = ip2p), not " + editor);
    }
    guide = get(problems, "edit.guide", () -> c.getString("edit.guide").trim(), "");
    if (!guide.isEmpty() && !isDiffusionEditor(editor)) {
      problems.add(
          "edit.guide = "
              + guide
              + " needs a diffusion editor (edit.editor = ip2p), not "
              + editor);
    }
    if (!guide.isEmpty() && !mask.equals("none")) {
      problems.add("edit.guide and edit.mask together are not supported yet: give one of them");
    }
    reference = get(problems, "edit.reference", () -> c.getString("edit.reference").trim(), "");
    if (!reference.isEmpty()) {
      if (!isDiffusionEditor(editor)) {
        problems.add(
            "edit.reference = "
                + reference
                + " needs a diffusion editor (edit.editor = ip2p), not "
                + editor);
      }
      if (mask.equals("none")) {
        problems.add(
            "edit.reference = "
                + reference
                + " needs edit.mask, the region that takes the reference's appearance");
      }
      if (!guide.isEmpty()) {
        problems.add("edit.reference and edit.guide together are not supported: give one of them");
      }
    }
    batchSize = range(problems, "edit.batch-size", getInt(problems, c, "edit.batch-size"), 0, 4096);
    steps = range(problems, "edit.steps", getInt(problems, c, "edit.steps"), 1, 1000);
    double g = get(problems, "edit.guidance-scale", () -> c.getDouble("edit.guidance-scale"), 1.0);
    if (g < 0 || g > 100) problems.add("edit.guidance-scale = " + g + ": must be in [0, 100]");
    double ig =
        get(
            problems,
            "edit.image-guidance-scale",
            () -> c.getDouble("edit.image-guidance-scale"),
            1.0);
    if (ig < 0 || ig > 100)
      problems.add("edit.image-guidance-scale = " + ig + ": must be in [0, 100]");
    modelPath = get(problems, "model.path", () -> c.getString("model.path"), "");
    seed = get(problems, "seed.value", () -> c.getLong("seed.value"), 0L);
    String mode = get(problems, "seed.mode", () -> c.getString("seed.mode"), "shared");
    seedMode =
        switch (mode) {
          case "shared" -> SeedMode.SHARED;
          case "per-frame" -> SeedMode.PER_FRAME;
          default -> {
            problems.add("seed.mode = " + mode + ": must be shared or per-frame");
            yield SeedMode.SHARED;
          }
        };
    String generator =
        get(problems, "seed.generator", () -> c.getString("seed.generator"), "viaspark");
    seedGenerator =
        switch (generator) {
          case "viaspark" -> SeedGenerator.VIASPARK;
          case "torch" -> SeedGenerator.TORCH;
          default -> {
            problems.add("seed.generator = " + generator + ": must be viaspark or torch");
            yield SeedGenerator.VIASPARK;
          }
        };
    segmentFrames =
        range(
            problems,
            "video.segment-frames",
            getInt(problems, c, "video.segment-frames"),
            1,
            1_000_000);
    OutputCodec codec = OutputCodec.H264;
    String codecName = get(problems, "output.codec", () -> c.getString("output.codec"), "h264");
    try {
      codec = OutputCodec.parse(codecName);
      if (!codec.available()) {
        problems.add(
            "output.codec = "
                + codecName
                + ": encoder "
                + codec.encoder()
                + " is not in the bundled FFmpeg (the GPL build is needed for libx264)");
      }
    } catch (IllegalArgumentException e) {
      problems.add("output.codec: " + e.getMessage());
    }
    double bpp =
        get(problems, "output.bits-per-pixel", () -> c.getDouble("output.bits-per-pixel"), 0.1);
    if (bpp <= 0 || bpp > 24)
      problems.add("output.bits-per-pixel = " + bpp + ": must be in (0, 24]");
    long bitrate = get(problems, "output.bitrate", () -> c.getLong("output.bitrate"), 0L);
    if (bitrate < 0) problems.add("output.bitrate = " + bitrate + ": must be >= 0");
    double keySeconds =
        get(problems, "output.keyframe-seconds", () -> c.getDouble("output.keyframe-seconds"), 2.0);
    if (keySeconds <= 0 || keySeconds > 3600)
      problems.add("output.keyframe-seconds = " + keySeconds + ": must be in (0, 3600]");
    int threads =
        range(
            problems,
            "output.encoder-threads",
            getInt(problems, c, "output.encoder-threads"),
            0,
            64);
    encoder = new EncoderSettings(codec, bpp, bitrate, keySeconds, threads);
    overwrite = get(problems, "output.overwrite", () -> c.getBoolean("output.overwrite"), false);
    viaEnabled = get(problems, "via.enabled", () -> c.getBoolean("via.enabled"), false);
    viaAnchors = range(problems, "via.anchors", getInt(problems, c, "via.anchors"), 1, 64);
    viaAnchorFrames =
        get(
            problems,
            "via.anchor-frames",
            () -> c.getIntList("via.anchor-frames").stream().mapToInt(Integer::intValue).toArray(),
            new int[0]);
    for (int i = 0; i < viaAnchorFrames.length; i++) {
      if (viaAnchorFrames[i] < 0 || (i > 0 && viaAnchorFrames[i] <= viaAnchorFrames[i - 1])) {
        problems.add(
            "via.anchor-frames = "
                + Arrays.toString(viaAnchorFrames)
                + ": frame indices must be >= 0 and increasing");
        break;
      }
    }
    viaSwapSteps =
        range(problems, "via.swap-steps", getInt(problems, c, "via.swap-steps"), 0, 1000);
    viaLayers = get(problems, "via.layers", () -> c.getString("via.layers"), "all");
    try {
      LayerSelection.parse(viaLayers);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    viaCrossAttention =
        get(problems, "via.cross-attention", () -> c.getBoolean("via.cross-attention"), false);
    viaInlineBankBytes =
        get(problems, "via.inline-bank-bytes", () -> c.getBytes("via.inline-bank-bytes"), 0L);
    viaBankCacheBytes =
        get(problems, "via.bank-cache-bytes", () -> c.getBytes("via.bank-cache-bytes"), 0L);
    viaBankMemoryBytes =
        get(problems, "via.bank-memory-bytes", () -> c.getBytes("via.bank-memory-bytes"), 0L);
    ttaEnabled = get(problems, "via.tta.enabled", () -> c.getBoolean("via.tta.enabled"), false);
    ttaSteps = range(problems, "via.tta.steps", getInt(problems, c, "via.tta.steps"), 1, 100000);
    ttaRank = range(problems, "via.tta.rank", getInt(problems, c, "via.tta.rank"), 1, 1024);
    ttaLearningRate =
        get(problems, "via.tta.learning-rate", () -> c.getDouble("via.tta.learning-rate"), 1e-4);
    if (!(ttaLearningRate > 0))
      problems.add("via.tta.learning-rate: must be more than 0, not " + ttaLearningRate);
    ttaExamplesPerStep =
        range(
            problems,
            "via.tta.examples-per-step",
            getInt(problems, c, "via.tta.examples-per-step"),
            1,
            1024);
    ttaCandidates =
        range(problems, "via.tta.candidates", getInt(problems, c, "via.tta.candidates"), 1, 64);
    ttaRootCandidate =
        range(
            problems,
            "via.tta.root-candidate",
            getInt(problems, c, "via.tta.root-candidate"),
            -1,
            63);
    if (ttaRootCandidate >= ttaCandidates) {
      problems.add(
          "via.tta.root-candidate = "
              + ttaRootCandidate
              + " names no candidate (via.tta.candidates = "
              + ttaCandidates
              + ")");
    }
    if (ttaEnabled && !viaEnabled)
      problems.add("via.tta.enabled = true needs via.enabled = true (it tunes in Via's stage 1)");
    if (ttaEnabled && !guide.isEmpty())
      problems.add("via.tta.enabled and edit.guide together are not supported: give one of them");
    if (ttaEnabled && !reference.isEmpty()) {
      problems.add(
          "via.tta.enabled and edit.reference together are not supported: give one of them");
    }
    if (usesBank()) {
      if (viaEnabled && !isDiffusionEditor(editor)) {
        problems.add(
            "via.enabled = true needs a diffusion editor (edit.editor = ip2p), not " + editor);
      }
      if (viaSwapSteps > steps) {
        problems.add("via.swap-steps = " + viaSwapSteps + " is more than edit.steps = " + steps);
      }
    }
    workDir = get(problems, "job.work-dir", () -> c.getString("job.work-dir"), "");
    failFast = get(problems, "job.fail-fast", () -> c.getBoolean("job.fail-fast"), false);
    keepSegments =
        get(problems, "job.keep-segments", () -> c.getBoolean("job.keep-segments"), false);
    inputCacheBytes =
        get(problems, "job.input-cache-bytes", () -> c.getBytes("job.input-cache-bytes"), 0L);
    if (inputCacheBytes < 0)
      problems.add("job.input-cache-bytes: must be 0 or more, not " + inputCacheBytes);
    progressInterval =
        range(
            problems,
            "job.progress-interval",
            getInt(problems, c, "job.progress-interval"),
            0,
            86400);
    cpuThreads =
        range(problems, "model.cpu-threads", getInt(problems, c, "model.cpu-threads"), 0, 1024);
    String metrics =
        get(
            problems,
            "report.temporal-metrics",
            () -> c.getString("report.temporal-metrics"),
            "auto");
    temporalMetrics =
        switch (metrics) {
          case "auto" -> isDiffusionEditor(editor);
          case "on", "true" -> true;
          case "off", "false" -> false;
          default -> {
            problems.add("report.temporal-metrics = " + metrics + ": must be auto, on or off");
            yield false;
          }
        };
    gpuStages = gpuStages(problems, c);
    try {
      FrameEditorProvider p = FrameEditors.provider(editor);
      p.validate(c);
    } catch (IllegalArgumentException e) {
      problems.add("edit.editor: " + e.getMessage());
    }
  }

  private static GpuStages gpuStages(List<String> problems, Config c) {
    String m =
        get(problems, "resources.gpu-stages", () -> c.getString("resources.gpu-stages"), "off");
    GpuStageMode mode =
        switch (m) {
          case "off", "false" -> GpuStageMode.OFF;
          case "on", "true" -> GpuStageMode.ON;
          case "auto" -> GpuStageMode.AUTO;
          default -> {
            problems.add("resources.gpu-stages = " + m + ": must be off, on or auto");
            yield GpuStageMode.OFF;
          }
        };
    int gpus =
        range(
            problems,
            "resources.executor-gpus",
            getInt(problems, c, "resources.executor-gpus"),
            1,
            64);
    int cores =
        range(
            problems,
            "resources.executor-cores",
            getInt(problems, c, "resources.executor-cores"),
            1,
            1024);
    String memory =
        get(
            problems,
            "resources.executor-memory",
            () -> c.getString("resources.executor-memory"),
            "");
    if (!memory.isEmpty() && !memory.matches("[0-9]+[kmgtKMGT]?")) {
      problems.add(
          "resources.executor-memory = "
              + memory
              + ": expected a Spark size such as 24g, or empty");
    }
    double taskGpus =
        get(problems, "resources.task-gpus", () -> c.getDouble("resources.task-gpus"), 1.0);
    if (!(taskGpus > 0 && taskGpus <= gpus)) {
      problems.add(
          "resources.task-gpus = "
              + taskGpus
              + ": must be in (0, resources.executor-gpus = "
              + gpus
              + "]");
    } else if (taskGpus < 1 && Math.abs(1 / taskGpus - Math.rint(1 / taskGpus)) > 1e-9) {
      problems.add(
          "resources.task-gpus = "
              + taskGpus
              + ": a share of one GPU must be 1/n (0.5, 0.25, ...)");
    } else if (taskGpus > 1 && taskGpus != Math.rint(taskGpus)) {
      problems.add(
          "resources.task-gpus = " + taskGpus + ": more than one GPU must be a whole number");
    }
    int taskCpus =
        range(problems, "resources.task-cpus", getInt(problems, c, "resources.task-cpus"), 1, 1024);
    if (taskCpus > cores) {
      problems.add(
          "resources.task-cpus = "
              + taskCpus
              + " is more than resources.executor-cores = "
              + cores);
    }
    String script =
        get(
            problems,
            "resources.discovery-script",
            () -> c.getString("resources.discovery-script"),
            "");
    if (mode != GpuStageMode.OFF && script.isBlank()) {
      problems.add("resources.discovery-script is empty: GPU executors need a discovery script");
    }
    String vendor = get(problems, "resources.vendor", () -> c.getString("resources.vendor"), "");
    return new GpuStages(mode, gpus, cores, memory, taskGpus, taskCpus, script, vendor);
  }

  private static boolean isDiffusionEditor(String editor) {
    return editor.equals("ip2p") || editor.equals("instruct-pix2pix");
  }

  static ViasparkSettings from(Config effective) {
    List<String> problems = new ArrayList<>();
    ViasparkSettings s = new ViasparkSettings(effective, problems);
    if (!problems.isEmpty()) throw new SettingsException(problems);
    return s;
  }

  /** These settings with one key changed, validated like any other. */
  public ViasparkSettings with(String key, Object value) {
    return from(config.withValue(key, ConfigValueFactory.fromAnyRef(value)));
  }

  /**
   * The effective config (all keys, without the viaspark prefix), for editors that read their own
   * keys.
   */
  /** The mask URI for {@code input} ({@code {name}}: its file name without extension), or null. */
  public String maskFor(String input) {
    return mask.equals("none") ? null : withName(mask, input);
  }

  /** The guide folder for {@code input} ({@code {name}} resolved), or null. */
  public String guideFor(String input) {
    return guide.isEmpty() ? null : withName(guide, input);
  }

  /** The reference image for {@code input} ({@code {name}} resolved), or null. */
  public String referenceFor(String input) {
    return reference.isEmpty() ? null : withName(reference, input);
  }

  private static String withName(String uri, String input) {
    String file = input.substring(input.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    return uri.replace("{name}", dot > 0 ? file.substring(0, dot) : file);
  }

  /**
   * Whether videos are edited through a K/V bank built in a first stage: gather-and-swap ({@code
   * via.enabled}), a guide ({@code edit.guide}, whose frames become the bank) or a reference image
   * ({@code edit.reference}).
   */
  public boolean usesBank() {
    return viaEnabled || !guide.isEmpty() || !reference.isEmpty();
  }

  public Config config() {
    return config;
  }

  /**
   * A short hash of every setting that changes output pixels or encoding (everything but {@code
   * job.*}, {@code report.*}, {@code resources.*} and {@code output.overwrite}): part of work-dir
   * paths, so changed settings never reuse old segments.
   */
  public String hash() {
    Config c =
        config
            .withoutPath("job")
            .withoutPath("report")
            .withoutPath("resources")
            .withoutPath("output.overwrite");
    String canonical = c.root().render(ConfigRenderOptions.concise().setJson(true));
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T get(List<String> problems, String key, Supplier<T> getter, T fallback) {
    try {
      return getter.get();
    } catch (ConfigException e) {
      problems.add(key + ": " + e.getMessage().replaceFirst("^[^:]*: ", ""));
      return fallback;
    }
  }

  private static int getInt(List<String> problems, Config c, String key) {
    return get(problems, key, () -> c.getInt(key), Integer.MIN_VALUE);
  }

  private static int range(List<String> problems, String key, int v, int min, int max) {
    if (v == Integer.MIN_VALUE) return min;
    if (v < min || v > max)
      problems.add(key + " = " + v + ": must be in [" + min + ", " + max + "]");
    return v;
  }
}
