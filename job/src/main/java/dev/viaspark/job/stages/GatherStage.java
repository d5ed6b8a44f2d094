package dev.viaspark.job.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.edit.diffusion.ReferenceImage;
import dev.viaspark.storage.Errors;
import dev.viaspark.storage.InputCache;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.via.BankHandle;
import dev.viaspark.via.KvBankFiles;
import dev.viaspark.via.ViaGather;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.IndexedFrames;
import dev.viaspark.video.Segment;
import dev.viaspark.video.SegmentReader;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceProfile;

/**
 * The gather stage of gather-and-swap: one task per video decodes its anchor frames, edits them one
 * after the other with gathering, and publishes the K/V bank to the work dir (manifest last, so a
 * bank without its manifest is never read) with the edited anchors as preview images. A bank
 * already in the work dir is reused.
 */
public final class GatherStage {
  public record Work(
      int taskId,
      String input,
      List<Segment> segments,
      int[] anchors,
      VideoContext video,
      ViasparkSettings settings,
      String bankUri,
      String previewDir)
      implements Serializable {}

  /**
   * @param seconds the task's seconds, adaptation included
   * @param ttaSeconds of which test-time adaptation (0 without it, or with the bank reused)
   * @param ttaChosen the root candidate the adapter was tuned on (null without adaptation, or with
   *     the bank reused)
   */
  public record Result(
      int taskId,
      BankHandle bank,
      double seconds,
      double ttaSeconds,
      Integer ttaChosen,
      String error)
      implements StageResult, Serializable {}

  private GatherStage() {}

  /**
   * @param gpu the stage's resource profile, null for the default executors
   */
  public static List<Result> run(
      JavaSparkContext sc,
      List<Work> work,
      Storage storage,
      ResourceProfile gpu,
      int cpuThreads,
      JobCounters counters) {
    return SparkStage.<Work, Result>named("viaspark gather: anchors of " + work.size() + " videos")
        .runsModel(gpu, cpuThreads)
        .run(sc, work, counters, (w, device) -> gather(w, storage, device));
  }

  public static Result gather(Work w, Storage storage, Device device) {
    long start = System.nanoTime();
    ViaGather.Gathered gathered = null;
    try {
      ViasparkSettings s = w.settings();
      String manifest = Storage.join(w.bankUri(), "manifest.json");
      if (!s.overwrite && storage.exists(manifest)) {
        if (intact(w.bankUri(), storage)) {
          return new Result(
              w.taskId(), handle(w.bankUri(), storage, s.viaInlineBankBytes), 0, 0, null, null);
        }
        storage.delete(w.bankUri(), true); // corrupt or partial: rebuild it
      }
      try (TempFolder tmp = TempFolder.create("viaspark-gather");
          InputCache.Lease in = InputCache.acquire(storage, w.input(), s.inputCacheBytes);
          IndexedFrames sources = new IndexedFrames(in.file())) {
        // a reference video's bank comes from the reference alone: its anchors are never read
        List<VideoFrame> anchors =
            ReferenceImage.uriOf(w.video()) != null
                ? List.of()
                : decodeAnchors(in.file(), w.segments(), w.anchors());
        InstructPix2PixEditor editor =
            (InstructPix2PixEditor) FrameEditors.shared(s.editor, s.config(), device, storage);
        File bankDir = new File(tmp.dir(), "bank");
        gathered = ViaGather.toFolder(editor, w.video(), anchors, s, bankDir.toPath(), sources::at);
        publishBank(bankDir, w.bankUri(), storage);
        for (VideoFrame f : gathered.editedAnchors()) {
          publishPreview(f, String.format("anchor-%06d.png", f.index()), tmp, w, storage);
        }
        List<VideoFrame> candidates = gathered.ttaCandidates();
        for (int c = 0; c < candidates.size(); c++) {
          publishPreview(candidates.get(c), "tta-candidate-" + c + ".png", tmp, w, storage);
        }
      }
      return new Result(
          w.taskId(),
          handle(w.bankUri(), storage, s.viaInlineBankBytes),
          Stopwatch.secondsSince(start),
          gathered.ttaSeconds(),
          gathered.ttaChosen() < 0 ? null : gathered.ttaChosen(),
          null);
    } catch (Exception e) {
      return new Result(
          w.taskId(),
          null,
          Stopwatch.secondsSince(start),
          gathered == null ? 0 : gathered.ttaSeconds(),
          null,
          "gather (anchors "
              + Arrays.toString(w.anchors())
              + "): "
              + Errors.describe(w.input(), e));
    }
  }

  private static void publishPreview(
      VideoFrame frame, String name, TempFolder tmp, Work w, Storage storage) throws IOException {
    File png = new File(tmp.dir(), name);
    ImageFiles.write(frame, png);
    storage.publish(png, Storage.join(w.previewDir(), name));
  }

  /** Decodes each anchor frame-exactly from the keyframe of the segment that holds it. */
  static List<VideoFrame> decodeAnchors(File video, List<Segment> segments, int[] anchors) {
    List<VideoFrame> out = new ArrayList<>();
    for (int a : anchors) {
      Segment seg =
          segments.stream()
              .filter(s -> a >= s.start() && a < s.end())
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("anchor frame " + a + " is not in the video"));
      try (SegmentReader r =
          new SegmentReader(video, seg.startPts(), seg.start(), a - seg.start() + 1)) {
        VideoFrame f = null;
        for (int i = seg.start(); i <= a; i++) f = r.next();
        out.add(f);
      }
    }
    return out;
  }

  private static void publishBank(File bankDir, String uri, Storage storage) throws IOException {
    File[] files = bankDir.listFiles();
    Arrays.sort(files);
    for (File f : files)
      if (!f.getName().equals("manifest.json")) storage.publish(f, Storage.join(uri, f.getName()));
    storage.publish(new File(bankDir, "manifest.json"), Storage.join(uri, "manifest.json"));
  }

  /** Whether every file the bank's manifest lists is there with its checksum. */
  static boolean intact(String uri, Storage storage) throws IOException {
    JsonNode m =
        new ObjectMapper().readTree(storage.readString(Storage.join(uri, "manifest.json")));
    for (JsonNode f : m.path("files")) {
      String file = Storage.join(uri, f.path("name").asText());
      if (!storage.exists(file)) return false;
      Path p = storage.path(file);
      try (InputStream in = storage.fs(p).open(p)) {
        if (!KvBankFiles.sha256(in).equals(f.path("sha256").asText())) return false;
      }
    }
    return true;
  }

  /** The bank's handle; its files ride along when they fit under {@code inlineLimit} bytes. */
  static BankHandle handle(String uri, Storage storage, long inlineLimit) throws IOException {
    List<String> files = storage.list(Storage.join(uri, "*"));
    long bytes = 0;
    for (String f : files) bytes += storage.status(f).getLen();
    if (bytes > inlineLimit) return new BankHandle(uri, bytes, null);
    Map<String, byte[]> inline = new LinkedHashMap<>();
    for (String f : files) {
      Path p = storage.path(f);
      try (InputStream in = storage.fs(p).open(p)) {
        inline.put(Storage.fileName(f), in.readAllBytes());
      }
    }
    return new BankHandle(uri, bytes, inline);
  }
}
