package dev.viaspark.job.bench;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.Flags;
import dev.viaspark.cli.UsageException;
import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.metrics.TemporalMetrics;
import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.via.Anchors;
import dev.viaspark.via.ViaGather;
import dev.viaspark.via.ViaSwap;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoFrame;
import dev.viaspark.video.VideoFrames;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code viaspark bench via}: the same frames edited independently (per-frame) and with
 * gather-and-swap, in one JVM without Spark: stage times, bank size, seconds per frame of each, and
 * the temporal scores of both.
 */
public final class ViaBench {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark bench via --model DIR [--input VIDEO | --size WxH] [--frames N] [--instruction TEXT]",
          "                          [--set key=value]...",
          "",
          "Edits the first N frames (default 16) of VIDEO, or of the generated sample at WxH (default 256x256),",
          "twice with InstructPix2Pix: each frame independently, then with gather-and-swap (gathering on the",
          "anchors, the bank written in its on-disk format, swapping on every frame). Settings are the job's",
          "(--set edit.steps=10, via.anchors=4, via.swap-steps=8, seed.mode=shared, edit.batch-size=...).",
          "One untimed warm-up edit comes first. Prints per-stage times and the temporal scores of both runs;",
          "last line: via_over_per_frame=<seconds per frame with Via / seconds per frame without>.");

  private ViaBench() {}

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "bench via",
            args,
            Set.of("--model", "--input", "--size", "--frames", "--instruction", "--set"),
            Set.of("--help"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    if (cl.get("--model") == null) throw new UsageException("bench via: --model is required");
    ConfigLayers layers = new ConfigLayers();
    layers.set("edit.editor", "ip2p");
    layers.set("model.path", cl.get("--model"));
    layers.set("via.enabled", "true");
    for (String kv : cl.all("--set")) layers.set(kv);
    ViasparkSettings s = layers.resolve();
    int n = Flags.positive(cl, "--frames", 16);
    List<VideoFrame> frames =
        cl.get("--input") != null
            ? VideoFrames.first(new File(cl.get("--input")), n)
            : generate(Flags.size(cl, "bench via", "--size", "256x256"), n);
    VideoFrame first = frames.get(0);
    String instruction =
        cl.get("--instruction") == null ? "make it winter" : cl.get("--instruction");
    VideoContext video =
        new VideoContext(
            "bench",
            cl.get("--input") == null ? "generated" : cl.get("--input"),
            instruction,
            first.width(),
            first.height(),
            25,
            frames.size(),
            s.seed,
            Map.of());

    long t0 = System.nanoTime();
    InstructPix2PixEditor editor =
        (InstructPix2PixEditor)
            new InstructPix2PixEditor.Provider()
                .create("ip2p", s.config(), Device.CPU, Storage.local());
    int batch = editor.framesPerCall(s.batchSize);
    int[] anchors = Anchors.of(s, frames.size());
    out.printf(
        "model %s loaded in %.1f s; %d frames %dx%d, %d steps, batch %d, seed mode %s, anchors %s, "
            + "swap steps %d, layers %s, %d cores%n",
        cl.get("--model"),
        seconds(t0),
        frames.size(),
        first.width(),
        first.height(),
        s.steps,
        batch,
        s.seedMode,
        Arrays.toString(anchors),
        s.viaSwapSteps,
        s.viaLayers,
        Runtime.getRuntime().availableProcessors());
    long w = System.nanoTime();
    try (FrameEditor.Session warm = editor.open(video)) {
      warm.edit(List.of(first));
    }
    out.printf("warm-up edit: %.2f s%n", seconds(w));

    Run perFrame;
    try (FrameEditor.Session session = editor.open(video)) {
      perFrame = editAll(session, frames, batch);
    }
    out.printf(
        "per-frame: %.2f s, %.3f s/frame%n", perFrame.seconds, perFrame.seconds / frames.size());

    try (TempFolder bankDir = TempFolder.create("viaspark-bench-bank")) {
      double gatherSeconds =
          gather(editor, video, frames, anchors, s, bankDir.path().resolve("bank"));
      long bankBytes = bytes(bankDir.path().resolve("bank"));
      out.printf(
          "stage 1 (gather %d anchors, bank written): %.2f s; bank %d bytes (%.1f MiB)%n",
          anchors.length, gatherSeconds, bankBytes, bankBytes / 1048576.0);
      Run via;
      try (FrameEditor.Session session =
          ViaSwap.open(
              editor, video, bankDir.path().resolve("bank"), s.viaBankMemoryBytes, frames::get)) {
        via = editAll(session, frames, batch);
      }
      out.printf(
          "stage 2 (swap): %.2f s, %.3f s/frame%n", via.seconds, via.seconds / frames.size());
      print(out, "source", via.scores, true);
      print(out, "per-frame", perFrame.scores, false);
      print(out, "via", via.scores, false);
      out.printf(
          "gather_s=%.2f%nbank_bytes=%d%nper_frame_s_per_frame=%.3f%nvia_s_per_frame=%.3f%n",
          gatherSeconds, bankBytes, perFrame.seconds / frames.size(), via.seconds / frames.size());
      out.printf("via_over_per_frame=%.3f%n", via.seconds / perFrame.seconds);
    }
    return 0;
  }

  /** The gather stage outside Spark, as the job runs it; returns the seconds it took. */
  private static double gather(
      InstructPix2PixEditor editor,
      VideoContext video,
      List<VideoFrame> frames,
      int[] anchors,
      ViasparkSettings s,
      Path bank)
      throws IOException {
    long start = System.nanoTime();
    List<VideoFrame> anchorFrames = new ArrayList<>();
    for (int a : anchors) anchorFrames.add(frames.get(a));
    ViaGather.toFolder(editor, video, anchorFrames, s, bank, frames::get);
    return seconds(start);
  }

  private record Run(double seconds, TemporalScores scores) {}

  private static Run editAll(FrameEditor.Session session, List<VideoFrame> frames, int batch) {
    long start = System.nanoTime();
    List<VideoFrame> edited = session.editAll(frames, batch);
    double secs = seconds(start);
    TemporalMetrics metrics = new TemporalMetrics();
    for (int i = 0; i < frames.size(); i++) metrics.add(frames.get(i), edited.get(i));
    return new Run(secs, metrics.scores());
  }

  private static void print(PrintStream out, String name, TemporalScores t, boolean source) {
    if (source) {
      out.printf(
          "%-9s warp error %.3f, frame diff %.3f (%d pairs)%n",
          name, t.sourceWarpError(), t.sourceFrameDiff(), t.pairs());
    } else {
      out.printf("%-9s warp error %.3f, frame diff %.3f%n", name, t.warpError(), t.frameDiff());
    }
  }

  private static List<VideoFrame> generate(int[] size, int n) {
    int w = size[0];
    int h = size[1];
    SyntheticVideo sample = new SyntheticVideo().size(w, h).frames(n);
    List<VideoFrame> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new VideoFrame(i, w, h, sample.frameRgb(i)));
    return out;
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long sum = 0;
      for (Path p : files.toList()) sum += Files.size(p);
      return sum;
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
