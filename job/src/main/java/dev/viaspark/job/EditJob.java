package dev.viaspark.job;

import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.storage.Storage;
import dev.viaspark.udfs.SessionStorage;
import dev.viaspark.via.Anchors;
import dev.viaspark.via.BankHandle;
import dev.viaspark.video.OutputContainer;
import dev.viaspark.video.Segment;
import dev.viaspark.video.SegmentPlanner;
import dev.viaspark.video.VideoInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.resource.ResourceProfile;

/**
 * The edit job: probe -> plan -> edit -> assemble -> report, for every input video at once (a batch of a thousand
 * videos is a few Spark jobs). A failing video fails its own report row; the others go on.
 */
public final class EditJob {
  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final PrintStream log;

  public EditJob(SparkSession spark, PrintStream log) {
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.log = log;
  }

  public JobSummary run(EditRequest request) throws IOException {
    ViasparkSettings base = request.config().resolve();
    Storage storage = SessionStorage.of(spark);
    String outputDir = storage.path(request.output()).toString();
    WorkDir work = WorkDir.forJob(base.workDir, outputDir);
    sc.setJobGroup("viaspark", "viaspark edit " + request.input() + " -> " + outputDir, false);

    List<VideoTask> tasks = InputResolver.resolve(request.input(), request.instruction(), request.config(), base,
        storage, spark);
    log.println("[viaspark] " + tasks.size() + " videos from " + request.input() + "; output " + outputDir);
    List<ReportRow> rows = new ArrayList<>();
    for (VideoTask t : tasks) rows.add(newRow(t));
    boolean failFast = base.failFast;

    List<VideoTask> toProbe = new ArrayList<>();
    for (VideoTask t : tasks) {
      if (t.error() != null) fail(rows.get(t.id()), t.error());
      else toProbe.add(t);
    }
    JobCounters counters = new JobCounters(sc.sc());
    JobStats stats = new JobStats(sc.sc().applicationId(), counters);
    ResourceProfile gpu = GpuStageProfile.forStages(base.gpuStages, SessionStorage.sparkProperties(spark), log);
    long probeStart = System.nanoTime();
    List<ProbeStage.Result> probes = toProbe.isEmpty() ? List.of() : ProbeStage.run(sc, toProbe, storage, counters);
    stats.stage("probe", probeStart);

    // plan (driver): outputs, rerun skipping, segments
    Map<String, Integer> outputsTaken = new HashMap<>();
    Map<Integer, PlannedVideo> planned = new HashMap<>();
    List<EditStage.Work> segmentWork = new ArrayList<>();
    long totalFrames = 0;
    for (ProbeStage.Result p : probes) {
      VideoTask t = tasks.get(p.taskId());
      ReportRow row = rows.get(t.id());
      row.setSecondsProbe(p.seconds());
      if (p.error() != null) {
        fail(row, p.error());
        continue;
      }
      VideoInfo info = p.info();
      describe(row, info);
      ViasparkSettings s = t.settings();
      String sizeProblem = s.encoder.codec().sizeProblem(info.width(), info.height());
      if (sizeProblem != null) {
        fail(row, t.input() + ": " + sizeProblem);
        continue;
      }
      boolean named = t.outputOverride() != null && !t.outputOverride().isBlank();
      OutputContainer container = OutputContainer.choose(named ? t.outputOverride() : t.input(), s.encoder.codec(),
          info.audioCodec());
      String output = outputUri(t, outputDir, container, storage);
      row.setOutput(output);
      Integer clash = outputsTaken.putIfAbsent(output, t.id());
      if (clash != null) {
        fail(row, t.input() + ": output " + output + " is also the output of " + tasks.get(clash).input()
            + " (give one of them an 'output' in a manifest)");
        continue;
      }
      String key = WorkDir.videoKey(t.input(), p.size(), p.modified(), t.instruction(), s.hash(), output);
      List<Segment> segments = SegmentPlanner.plan(info, s.segmentFrames);
      row.setSegments(segments.size());
      boolean overwrite = s.overwrite;
      if (!overwrite && storage.exists(work.doneMarker(key)) && storage.exists(output)) {
        row.setStatus("skipped");
        row.setFrames(info.frameCount());
        if (s.temporalMetrics) setScores(row, DoneMarker.read(storage, work.doneMarker(key)).temporal());
        continue;
      }
      VideoContext ctx = new VideoContext(key, t.input(), t.instruction(), info.width(), info.height(),
          info.frameRate().value(), info.frameCount(), s.seed, Map.of());
      List<String> segmentUris = new ArrayList<>();
      List<String> scoreUris = new ArrayList<>();
      for (Segment seg : segments) {
        String uri = work.segment(key, seg.index());
        String scores = work.segmentScores(key, seg.index());
        segmentUris.add(uri);
        scoreUris.add(scores);
        segmentWork.add(new EditStage.Work(t.id(), t.input(), seg, info.frameRate(), ctx, s, uri, scores));
        totalFrames += seg.frames();
      }
      planned.put(t.id(), new PlannedVideo(t, output, container.muxer(), key, segmentUris, scoreUris, ctx, segments,
          info.frameCount()));
    }
    if (failFast && anyFailed(rows)) return finish(rows, outputDir, storage, stats);

    Map<String, BankHandle> banks = gather(planned, rows, work, outputDir, storage, gpu, counters, stats);
    segmentWork.removeIf(w -> rows.get(w.taskId()).getError() != null);
    if (failFast && anyFailed(rows)) return finish(rows, outputDir, storage, stats);
    Broadcast<Map<String, BankHandle>> bankBroadcast = sc.broadcast(banks);

    try (Progress progress = new Progress(log, base.progressInterval, counters.frames, counters.segments,
        counters.videos, totalFrames, segmentWork.size(), planned.size())) {
      log.println("[viaspark] editing " + planned.size() + " videos: " + segmentWork.size() + " segments, "
          + totalFrames + " frames, editor " + base.editor);
      Map<Integer, List<TemporalScores>> segmentScores = new HashMap<>();
      long editStart = System.nanoTime();
      List<EditStage.Result> edited = EditStage.run(sc, segmentWork, storage, base.overwrite, counters,
          bankBroadcast, gpu);
      log.printf("[viaspark] edit stage: %.1f s%n", stats.stage("edit", editStart));
      for (EditStage.Result r : edited) {
        ReportRow row = rows.get(r.taskId());
        row.setSecondsDecode(row.getSecondsDecode() + r.decodeSeconds());
        row.setSecondsEdit(row.getSecondsEdit() + r.editSeconds());
        row.setSecondsEncode(row.getSecondsEncode() + r.encodeSeconds());
        row.setSecondsMetrics(row.getSecondsMetrics() + r.metricsSeconds());
        segmentScores.computeIfAbsent(r.taskId(), k -> new ArrayList<>()).add(r.scores());
        if (r.skipped()) row.setSegmentsReused(row.getSegmentsReused() + 1);
        if (r.error() != null && row.getError() == null) fail(row, r.error());
      }
      if (failFast && anyFailed(rows)) return finish(rows, outputDir, storage, stats);

      List<AssembleStage.Work> assembleWork = new ArrayList<>();
      for (PlannedVideo v : planned.values()) {
        ReportRow row = rows.get(v.task().id());
        if (row.getError() != null) continue;
        TemporalScores scores = v.task().settings().temporalMetrics
            ? SegmentScores.merge(segmentScores.getOrDefault(v.task().id(), List.of())) : null;
        setScores(row, scores);
        assembleWork.add(new AssembleStage.Work(v.task().id(), v.task().input(), v.segmentUris(), v.output(),
            v.muxer(), work.doneMarker(v.key()), work.video(v.key()), v.task().settings().keepSegments,
            v.scoreUris(), scores));
      }
      long assembleStart = System.nanoTime();
      List<AssembleStage.Result> assembled = AssembleStage.run(sc, assembleWork, storage, counters);
      stats.stage("assemble", assembleStart);
      for (AssembleStage.Result r : assembled) {
        ReportRow row = rows.get(r.taskId());
        row.setSecondsAssemble(r.seconds());
        if (r.error() != null) {
          fail(row, r.error());
        } else {
          row.setStatus("ok");
          row.setFrames(r.frames());
        }
      }
      log.println(progress.line());
    }
    return finish(rows, outputDir, storage, stats);
  }


  /** Stage 1 of gather-and-swap for the videos that use it: their banks, by video key. */
  private Map<String, BankHandle> gather(Map<Integer, PlannedVideo> planned, List<ReportRow> rows, WorkDir work,
      String outputDir, Storage storage, ResourceProfile gpu, JobCounters counters, JobStats stats) {
    List<GatherStage.Work> gatherWork = new ArrayList<>();
    for (PlannedVideo v : planned.values()) {
      ViasparkSettings s = v.task().settings();
      if (!s.viaEnabled) continue;
      int[] anchors = s.viaAnchorFrames.length > 0 ? s.viaAnchorFrames : Anchors.select(v.frameCount(), s.viaAnchors);
      if (anchors[anchors.length - 1] >= v.frameCount()) {
        fail(rows.get(v.task().id()), v.task().input() + ": via.anchor-frames " + Arrays.toString(anchors)
            + " go past the video's " + v.frameCount() + " frames");
        continue;
      }
      String preview = Storage.join(Storage.join(outputDir, "anchors"), Storage.fileName(v.output()));
      gatherWork.add(new GatherStage.Work(v.task().id(), v.task().input(), v.segments(), anchors, v.context(), s,
          work.bank(v.key()), preview));
    }
    Map<String, BankHandle> banks = new HashMap<>();
    if (gatherWork.isEmpty()) return banks;
    log.println("[viaspark] gathering anchors of " + gatherWork.size() + " videos");
    long start = System.nanoTime();
    List<GatherStage.Result> results = GatherStage.run(sc, gatherWork, storage, gpu, counters);
    log.printf("[viaspark] gather stage: %.1f s%n", stats.stage("gather", start));
    for (GatherStage.Result r : results) {
      ReportRow row = rows.get(r.taskId());
      row.setSecondsGather(r.seconds());
      if (r.error() != null) {
        fail(row, r.error());
      } else {
        banks.put(planned.get(r.taskId()).key(), r.bank());
        row.setBankBytes(r.bank().bytes());
      }
    }
    return banks;
  }

  private JobSummary finish(List<ReportRow> rows, String outputDir, Storage storage, JobStats stats)
      throws IOException {
    for (ReportRow r : rows) {
      if (r.getStatus() == null) fail(r, r.getInput() + ": not run (job.fail-fast stopped the job after a failure)");
    }
    ReportWriter.write(spark, rows, outputDir, storage, stats);
    return new JobSummary(rows, outputDir);
  }

  private record PlannedVideo(VideoTask task, String output, String muxer, String key, List<String> segmentUris,
      List<String> scoreUris, VideoContext context, List<Segment> segments, int frameCount) {}

  /** The video's temporal scores into its row; null (metrics off, or reused work without scores) leaves them null. */
  private static void setScores(ReportRow row, TemporalScores s) {
    if (s == null) return;
    row.setWarpError(s.warpError());
    row.setSourceWarpError(s.sourceWarpError());
    row.setFrameDiff(s.frameDiff());
    row.setSourceFrameDiff(s.sourceFrameDiff());
    row.setScoredPairs(s.pairs());
  }

  private static ReportRow newRow(VideoTask t) {
    ReportRow r = new ReportRow();
    r.setInput(t.input());
    r.setInstruction(t.instruction());
    r.setEditor(t.settings().editor);
    r.setCodec(t.settings().encoder.codec().configName());
    r.setSettingsHash(t.settings().hash());
    return r;
  }

  private static void describe(ReportRow row, VideoInfo info) {
    row.setDurationSeconds(info.durationSeconds());
    row.setFps(info.frameRate().value());
    row.setWidth(info.width());
    row.setHeight(info.height());
    row.setHasAudio(info.hasAudio());
  }

  private static void fail(ReportRow row, String error) {
    row.setStatus("failed");
    row.setError(error);
  }

  private static boolean anyFailed(List<ReportRow> rows) {
    return rows.stream().anyMatch(r -> "failed".equals(r.getStatus()));
  }

  /** OUTPUT/<input name with the container's extension>, or the manifest's output (relative to OUTPUT). */
  static String outputUri(VideoTask t, String outputDir, OutputContainer container, Storage storage) {
    if (t.outputOverride() != null && !t.outputOverride().isBlank()) {
      String o = withExtension(t.outputOverride(), container.extension());
      boolean absolute = new Path(o).toUri().getScheme() != null || o.startsWith("/");
      return absolute ? storage.path(o).toString() : Storage.join(outputDir, o);
    }
    return Storage.join(outputDir, withExtension(Storage.fileName(t.input()), container.extension()));
  }

  /** The name with its extension replaced (or added), so the file name always tells its real container. */
  static String withExtension(String name, String extension) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    String stem = dot > slash + 1 ? name.substring(0, dot) : name;
    return stem + "." + extension;
  }
}
