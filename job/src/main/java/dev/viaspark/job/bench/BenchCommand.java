package dev.viaspark.job.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.Flags;
import dev.viaspark.cli.UsageException;
import dev.viaspark.diffusion.ConfigJson;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.pipeline.EditCall;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import dev.viaspark.diffusion.schedulers.SeededNoise;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.unet.UNetConfig;
import dev.viaspark.diffusion.weights.RandomTensorSource;
import dev.viaspark.toy.bench.ToyBench;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code viaspark bench unet|pipeline}: timings of the engine, printed as {@code key=value} lines.
 */
public final class BenchCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark bench unet --unet-config FILE [--height H] [--width W] [--batch B] [--iters N]",
          "                           [--warmup N] [--dtype float32|float16] [--attention-chunk Q]",
          "       viaspark bench pipeline --model DIR [--height H] [--width W] [--batch B] [--steps N]",
          "                               [--attention-chunk Q]",
          "       viaspark bench via --model DIR [...]          (viaspark bench via --help)",
          "       viaspark bench toy --model DIR [...]          (viaspark bench toy --help)",
          "       viaspark bench random-unet --from DIR --unet-config FILE --output DIR [--seed S]",
          "",
          "bench unet builds a UNet2DConditionModel from any diffusers unet/config.json with seeded random",
          "weights (no checkpoint needed; same speed as real weights) and times --iters forwards (default 5)",
          "after --warmup (default 1) on a [B, in_channels, H, W] latent sample (H and W are LATENT sizes,",
          "default 32x32 = a 256x256 image; batch default 3 = the three guidance branches), a random",
          "[B, 77, cross_attention_dim] text context and t = 999. Last line: median_ms=<x>.",
          "bench pipeline times one full InstructPix2Pix edit of a generated image of H x W PIXELS",
          "(default 256x256) with a real checkpoint folder, per stage. Last line: total_ms=<x>.",
          "bench via times gather-and-swap (gather, then swap) against per-frame editing and scores both.",
          "bench toy measures accuracy, consistency and time of per-frame editing and Via on held-out toy videos.",
          "bench random-unet writes a diffusers folder for benchmarks: DIR's components, and a UNet with",
          "FILE as its config.json and seeded random float32 weights (any size, no download).",
          "Runs on the CPU with the threads PyTorch chooses (OMP_NUM_THREADS to change).");

  private BenchCommand() {}

  public static int run(List<String> args, PrintStream out) throws Exception {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      out.println(HELP);
      return args.isEmpty() ? 1 : 0;
    }
    List<String> rest = args.subList(1, args.size());
    return switch (args.get(0)) {
      case "unet" -> unet(rest, out);
      case "pipeline" -> pipeline(rest, out);
      case "via" -> ViaBench.run(rest, out);
      case "toy" -> ToyBench.run(rest, out);
      case "random-unet" -> randomUnet(rest, out);
      default ->
          throw new UsageException(
              "bench: unknown benchmark '"
                  + args.get(0)
                  + "' (unet, pipeline, via, toy or random-unet)");
    };
  }

  static int unet(List<String> args, PrintStream out) {
    CommandLine cl =
        CommandLine.parse(
            "bench unet",
            args,
            Set.of(
                "--unet-config",
                "--height",
                "--width",
                "--batch",
                "--iters",
                "--warmup",
                "--dtype",
                "--attention-chunk"),
            Set.of("--help"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    if (cl.get("--unet-config") == null)
      throw new UsageException("bench unet: --unet-config is required");
    File configFile = new File(cl.get("--unet-config"));
    if (!configFile.isFile())
      throw new UsageException("bench unet: --unet-config " + configFile + ": no such file");
    UNetConfig cfg = UNetConfig.from(ConfigJson.read(configFile.toPath()));
    int h = Flags.positive(cl, "--height", 32), w = Flags.positive(cl, "--width", 32);
    int batch = Flags.positive(cl, "--batch", 3), iters = Flags.positive(cl, "--iters", 5);
    int warmup = Flags.nonNegative(cl, "--warmup", 1),
        chunk = Flags.nonNegative(cl, "--attention-chunk", 0);
    DataType dtype = "float16".equals(cl.get("--dtype")) ? DataType.FLOAT16 : DataType.FLOAT32;
    out.printf(
        "unet %s: blocks %s, heads %s, cross %d, in %d; batch %d, latents %dx%d, %s, %d threads available%n",
        configFile,
        Arrays.toString(cfg.blockOutChannels()),
        Arrays.toString(cfg.heads()),
        cfg.crossAttentionDim(),
        cfg.inChannels(),
        batch,
        h,
        w,
        dtype,
        Runtime.getRuntime().availableProcessors());
    try (NDManager manager = NDManager.newBaseManager()) {
      long t0 = System.nanoTime();
      UNet2DConditionModel unet =
          new UNet2DConditionModel(cfg, new RandomTensorSource(0), manager, dtype);
      out.printf("built with random weights in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      NDArray sample =
          new SeededNoise(1)
              .next(manager, new Shape(batch, cfg.inChannels(), h, w))
              .toType(dtype, false);
      NDArray context =
          new SeededNoise(2)
              .next(manager, new Shape(batch, 77, cfg.crossAttentionDim()))
              .toType(dtype, false);
      NDArray t = manager.create(999f);
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < warmup + iters; i++) {
        long s = System.nanoTime();
        try (NDScope scope = new NDScope()) {
          unet.forward(sample, t, context, AttentionContext.none(chunk)).toFloatArray();
        }
        double ms = (System.nanoTime() - s) / 1e6;
        if (i >= warmup) times.add(ms);
        out.printf(
            "%s %d: %.1f ms%n", i < warmup ? "warm-up" : "iter", i < warmup ? i : i - warmup, ms);
      }
      out.printf("median_ms=%.1f%n", median(times));
    }
    return 0;
  }

  static int pipeline(List<String> args, PrintStream out) {
    CommandLine cl =
        CommandLine.parse(
            "bench pipeline",
            args,
            Set.of("--model", "--height", "--width", "--batch", "--steps", "--attention-chunk"),
            Set.of("--help"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    if (cl.get("--model") == null) throw new UsageException("bench pipeline: --model is required");
    int h = Flags.positive(cl, "--height", 256) / 8 * 8,
        w = Flags.positive(cl, "--width", 256) / 8 * 8;
    int batch = Flags.positive(cl, "--batch", 1), steps = Flags.positive(cl, "--steps", 10);
    int chunk = Flags.nonNegative(cl, "--attention-chunk", 1024);
    long t0 = System.nanoTime();
    try (InstructPix2PixPipeline pipeline =
            InstructPix2PixPipeline.load(
                new File(cl.get("--model")).toPath(), Device.cpu(), DataType.FLOAT32, chunk);
        NDManager m = NDManager.newBaseManager()) {
      out.printf(
          "loaded %s in %.1f s; %d image(s) %dx%d, %d steps%n",
          cl.get("--model"), (System.nanoTime() - t0) / 1e9, batch, w, h, steps);
      NDArray images = new SeededNoise(3).next(m, new Shape(batch, 3, h, w)).tanh();
      EditCall call =
          new EditCall(
              images,
              List.of("make it winter"),
              null,
              steps,
              7.5f,
              1.5f,
              null,
              new SeededNoise(4),
              null,
              AttentionHook.NONE,
              null);
      long start = System.nanoTime();
      long[] last = {start};
      NDArray latents =
          pipeline.denoise(
              m,
              call,
              (i, x) -> {
                long now = System.nanoTime();
                out.printf("step %d: %.1f ms%n", i, (now - last[0]) / 1e6);
                last[0] = now;
              });
      long decodeStart = System.nanoTime();
      pipeline.decode(latents).toFloatArray();
      long end = System.nanoTime();
      out.printf("decode: %.1f ms%n", (end - decodeStart) / 1e6);
      out.printf("total_ms=%.1f%n", (end - start) / 1e6);
    }
    return 0;
  }

  static int randomUnet(List<String> args, PrintStream out) throws IOException {
    CommandLine cl =
        CommandLine.parse(
            "bench random-unet",
            args,
            Set.of("--from", "--unet-config", "--output", "--seed"),
            Set.of("--help"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    for (String required : List.of("--from", "--unet-config", "--output")) {
      if (cl.get(required) == null)
        throw new UsageException("bench random-unet: " + required + " is required");
    }
    long t0 = System.nanoTime();
    long params;
    try {
      params =
          RandomUnetCheckpoint.write(
              new File(cl.get("--from")).toPath(),
              new File(cl.get("--unet-config")).toPath(),
              new File(cl.get("--output")).toPath(),
              Flags.nonNegative(cl, "--seed", 0));
    } catch (IllegalArgumentException e) {
      throw new UsageException("bench random-unet: " + e.getMessage());
    }
    out.printf(
        "wrote %s: UNet with %.1f M random parameters, in %.1f s%n",
        cl.get("--output"), params / 1e6, (System.nanoTime() - t0) / 1e9);
    return 0;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
