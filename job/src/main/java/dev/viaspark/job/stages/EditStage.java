package dev.viaspark.job.stages;

import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.metrics.TemporalMetrics;
import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.storage.Errors;
import dev.viaspark.storage.InputCache;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.via.BankCache;
import dev.viaspark.via.BankHandle;
import dev.viaspark.via.ViaSwap;
import dev.viaspark.video.DecodedFrame;
import dev.viaspark.video.IndexedFrames;
import dev.viaspark.video.Rational;
import dev.viaspark.video.Segment;
import dev.viaspark.video.SegmentReader;
import dev.viaspark.video.SegmentWriter;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceProfile;

/**
 * The edit stage: one task per segment decodes it frame-exactly from its keyframe, edits the frames
 * in batches through the video's {@link FrameEditor}, encodes them and publishes the segment to the
 * work dir, with its temporal-consistency scores beside it when they are on. A segment already in
 * the work dir (from an earlier, interrupted run) is skipped. The pair of frames across a segment
 * boundary is not scored: its two output frames are edited by different tasks. An editor that needs
 * no pixels ({@code identity}) is skipped: decoded frames go to the encoder as they are, without
 * the YUV->RGB and RGB->YUV conversions (the temporal scores, when on, score RGB copies).
 */
public final class EditStage {
  /** One segment to edit. */
  public record Work(
      int taskId,
      String input,
      Segment segment,
      Rational fps,
      VideoContext video,
      ViasparkSettings settings,
      String segmentUri,
      String scoresUri)
      implements Serializable {}

  /**
   * @param scores the segment's temporal-consistency scores, null when they are off or a reused
   *     segment has none
   */
  public record Result(
      int taskId,
      int segment,
      int frames,
      double decodeSeconds,
      double editSeconds,
      double encodeSeconds,
      double metricsSeconds,
      TemporalScores scores,
      boolean skipped,
      String error)
      implements StageResult, Serializable {}

  private EditStage() {}

  /**
   * @param gpu the stage's resource profile, null for the default executors
   */
  public static List<Result> run(
      JavaSparkContext sc,
      List<Work> work,
      Storage storage,
      boolean overwrite,
      JobCounters counters,
      Broadcast<Map<String, BankHandle>> banks,
      ResourceProfile gpu,
      int cpuThreads) {
    return SparkStage.<Work, Result>named("viaspark edit: " + work.size() + " segments")
        .runsModel(gpu, cpuThreads)
        .counting(
            (c, r) -> {
              c.frames.add(r.frames());
              c.segments.add(1);
            })
        .run(
            sc,
            work,
            counters,
            (w, device) ->
                edit(w, storage, overwrite, device, banks.value().get(w.video().videoId())));
  }

  /**
   * @param bank the video's K/V bank when it is edited with gather-and-swap, else null
   */
  public static Result edit(
      Work w, Storage storage, boolean overwrite, Device device, BankHandle bank) {
    Segment s = w.segment();
    try {
      if (!overwrite && storage.exists(w.segmentUri())) {
        TemporalScores scores =
            w.settings().temporalMetrics ? SegmentScores.read(storage, w.scoresUri()) : null;
        return new Result(w.taskId(), s.index(), s.frames(), 0, 0, 0, 0, scores, true, null);
      }
      try (TempFolder tmp = TempFolder.create("viaspark-edit");
          InputCache.Lease input =
              InputCache.acquire(storage, w.input(), w.settings().inputCacheBytes);
          BankCache.Lease lease = lease(w, storage, bank)) {
        return editSegment(w, storage, device, input.file(), lease, tmp.dir());
      }
    } catch (Exception e) {
      return new Result(
          w.taskId(),
          s.index(),
          0,
          0,
          0,
          0,
          0,
          null,
          false,
          "segment "
              + s.index()
              + " (frames "
              + s.start()
              + "-"
              + (s.end() - 1)
              + "): "
              + Errors.describe(w.input(), e));
    }
  }

  /**
   * Decodes, edits, encodes and publishes one segment; {@code lease} holds its K/V bank under Via,
   * else null.
   */
  private static Result editSegment(
      Work w, Storage storage, Device device, File local, BankCache.Lease lease, File tmp)
      throws IOException {
    Segment s = w.segment();
    File out = new File(tmp, "segment.mkv");
    ViasparkSettings settings = w.settings();
    FrameEditor editor = FrameEditors.shared(settings.editor, settings.config(), device, storage);
    int batch = editor.framesPerCall(settings.batchSize);
    long decode = 0, edit = 0, encode = 0, metrics = 0;
    int done = 0;
    TemporalMetrics temporal = settings.temporalMetrics ? new TemporalMetrics() : null;
    try (SegmentReader reader = new SegmentReader(local, s.startPts(), s.start(), s.frames());
        SegmentWriter writer =
            new SegmentWriter(
                out, w.video().width(), w.video().height(), w.fps(), settings.encoder);
        IndexedFrames sources = new IndexedFrames(local);
        FrameEditor.Session session = openSession(editor, w, lease, sources)) {
      boolean passThrough = !editor.needsPixels() && lease == null;
      while (passThrough && done < s.frames()) {
        long t0 = System.nanoTime();
        DecodedFrame frame = reader.nextDecoded();
        long t1 = System.nanoTime();
        writer.write(frame);
        long t2 = System.nanoTime();
        if (temporal != null) {
          VideoFrame rgb = frame.toRgb(); // the output frame is the source frame
          temporal.add(rgb, rgb);
          metrics += System.nanoTime() - t2;
        }
        decode += t1 - t0;
        encode += t2 - t1;
        done++;
      }
      List<VideoFrame> frames = new ArrayList<>(batch);
      while (done < s.frames()) {
        long t0 = System.nanoTime();
        frames.clear();
        while (frames.size() < batch && done + frames.size() < s.frames())
          frames.add(reader.next());
        long t1 = System.nanoTime();
        List<VideoFrame> edited = session.edit(frames);
        if (edited.size() != frames.size()) {
          throw new IllegalStateException(
              "editor "
                  + settings.editor
                  + " returned "
                  + edited.size()
                  + " frames for "
                  + frames.size());
        }
        long t2 = System.nanoTime();
        for (VideoFrame f : edited) writer.write(f);
        long t3 = System.nanoTime();
        if (temporal != null) {
          for (int i = 0; i < frames.size(); i++) temporal.add(frames.get(i), edited.get(i));
          metrics += System.nanoTime() - t3;
        }
        decode += t1 - t0;
        edit += t2 - t1;
        encode += t3 - t2;
        done += frames.size();
      }
    }
    long t4 = System.nanoTime();
    TemporalScores scores = temporal == null ? null : temporal.scores();
    // scores first: a published segment is a finished one, and a rerun that reuses it reads its
    // scores
    if (scores != null) SegmentScores.write(storage, w.scoresUri(), scores, tmp);
    // an attempt Spark has killed (a speculative copy that lost, a cancelled job) may run on in
    // native code; it must not publish after the winner's segments were assembled and removed
    TaskContext task = TaskContext.get();
    if (task != null && task.isInterrupted())
      throw new InterruptedIOException("segment " + s.index() + ": this task attempt was killed");
    storage.publish(out, w.segmentUri());
    encode += System.nanoTime() - t4;
    return new Result(
        w.taskId(),
        s.index(),
        done,
        decode / 1e9,
        edit / 1e9,
        encode / 1e9,
        metrics / 1e9,
        scores,
        false,
        null);
  }

  private static BankCache.Lease lease(Work w, Storage storage, BankHandle bank) {
    if (!w.settings().usesBank()) return null;
    if (bank == null)
      throw new IllegalStateException("no K/V bank for this video (its gather stage did not run)");
    File root = new File(System.getProperty("java.io.tmpdir"), "viaspark-banks");
    return BankCache.acquire(bank, storage, root, w.settings().viaBankCacheBytes);
  }

  /**
   * @param sources the input's frames, for a guided video whose edit is carried from a guide before
   *     the segment (nothing is read otherwise)
   */
  private static FrameEditor.Session openSession(
      FrameEditor editor, Work w, BankCache.Lease lease, IndexedFrames sources) {
    if (lease == null) return editor.open(w.video());
    return ViaSwap.open(
        (InstructPix2PixEditor) editor,
        w.video(),
        lease.folder(),
        w.settings().viaBankMemoryBytes,
        sources::at);
  }
}
