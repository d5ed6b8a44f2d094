package dev.viaspark.job.driver;

import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.diffusion.pipeline.ModelFolders;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.GuideFrames;
import dev.viaspark.edit.diffusion.MaskFrames;
import dev.viaspark.edit.diffusion.ReferenceImage;
import dev.viaspark.job.stages.AssembleStage;
import dev.viaspark.job.stages.DoneMarker;
import dev.viaspark.job.stages.EditStage;
import dev.viaspark.job.stages.GatherStage;
import dev.viaspark.job.stages.GpuStageProfile;
import dev.viaspark.job.stages.JobCounters;
import dev.viaspark.job.stages.ProbeStage;
import dev.viaspark.job.stages.SegmentScores;
import dev.viaspark.job.stages.StageResult;
import dev.viaspark.job.stages.VideoTask;
import dev.viaspark.metrics.TemporalScores;
import dev.viaspark.spark.SessionStorage;
import dev.viaspark.storage.Storage;
import dev.viaspark.via.Anchors;
import dev.viaspark.via.BankHandle;
import dev.viaspark.video.OutputCodec;
import dev.viaspark.video.OutputContainer;
import dev.viaspark.video.Rational;
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
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.sql.SparkSession;

/**
 * The edit job: probe -> plan -> gather (Via) -> edit -> assemble -> report, for every input video
 * at once (a batch of a thousand videos is a few Spark jobs). A failing video fails its own report
 * row; the others go on.
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

  /**
   * Runs the job in phases that flow one way, each on the videos the previous ones left standing:
   * resolve the inputs, probe, plan (outputs, reruns, segments), gather the Via banks, build the
   * edit work, edit, assemble, report. A video that fails in a phase gets its error in its row and
   * takes no part in the later phases.
   */
  public JobSummary run(EditRequest request) throws IOException {
    ViasparkSettings base = request.config().resolve();
    Storage storage = SessionStorage.of(spark);
    String outputDir = storage.path(request.output()).toString();
    sc.setJobGroup("viaspark", "viaspark edit " + request.input() + " -> " + outputDir, false);
    List<VideoTask> tasks =
        InputResolver.resolve(
            request.input(), request.instruction(), request.config(), base, storage, spark);
    log.println(
        "[viaspark] " + tasks.size() + " videos from " + request.input() + "; output " + outputDir);
    Run run = new Run(tasks, base, storage, outputDir);

    List<PlannedVideo> planned = run.plan(run.probe(run.resolved())); // 1. resolve, probe, plan
    if (run.stopped()) return run.finish();
    Map<String, BankHandle> banks = run.gather(planned); // 2. gather (Via)
    planned = run.standing(planned);
    if (run.stopped()) return run.finish();
    List<EditStage.Work> segments = run.editWork(planned); // 3. edit work
    try (Progress progress = run.progress(planned, segments)) {
      Map<Integer, List<TemporalScores>> scores = run.edit(segments, banks); // 4. edit
      if (run.stopped()) return run.finish();
      run.assemble(run.standing(planned), scores); // 5. assemble
      log.println(progress.line());
    }
    return run.finish(); // 6. report
  }

  /** One run of the job: its videos' report rows, counters and stage times, and its phases. */
  private final class Run {
    private final List<VideoTask> tasks;
    private final ViasparkSettings base;
    private final Storage storage;
    private final String outputDir;
    private final WorkDir work;
    private final List<ReportRow> rows = new ArrayList<>();
    private final Map<String, String> modelFingerprints = new HashMap<>();
    private final JobCounters counters = new JobCounters(sc.sc());
    private final JobStats stats = new JobStats(sc.sc().applicationId(), counters);
    private final ResourceProfile gpu;

    Run(List<VideoTask> tasks, ViasparkSettings base, Storage storage, String outputDir) {
      this.tasks = tasks;
      this.base = base;
      this.storage = storage;
      this.outputDir = outputDir;
      this.work = WorkDir.forJob(base.workDir, outputDir);
      for (VideoTask t : tasks) rows.add(newRow(t));
      this.gpu =
          GpuStageProfile.forStages(base.gpuStages, SessionStorage.sparkProperties(spark), log);
    }

    /** The tasks whose input resolved (a manifest row may already be broken). */
    List<VideoTask> resolved() {
      List<VideoTask> out = new ArrayList<>();
      for (VideoTask t : tasks) {
        if (t.error() != null) fail(rows.get(t.id()), t.error());
        else out.add(t);
      }
      return out;
    }

    List<ProbeStage.Result> probe(List<VideoTask> videos) {
      long start = System.nanoTime();
      List<ProbeStage.Result> probes =
          videos.isEmpty() ? List.of() : ProbeStage.run(sc, videos, storage, counters);
      stats.stage("probe", start);
      return probes;
    }

    /**
     * On the driver: each probed video's output, whether an earlier run finished it, and its
     * segments.
     */
    List<PlannedVideo> plan(List<ProbeStage.Result> probes) throws IOException {
      Map<String, Integer> outputsTaken = new HashMap<>();
      List<PlannedVideo> planned = new ArrayList<>();
      record(
          probes,
          (row, p) -> row.setSecondsProbe(p.seconds()),
          (row, p) -> {
            PlannedVideo v = planOne(tasks.get(p.taskId()), p, row, outputsTaken);
            if (v != null) planned.add(v);
          });
      return planned;
    }

    /**
     * The video's plan, or null when it failed planning or an earlier run already finished it
     * (skipped).
     */
    private PlannedVideo planOne(
        VideoTask t, ProbeStage.Result p, ReportRow row, Map<String, Integer> outputsTaken)
        throws IOException {
      VideoInfo info = p.info();
      describe(row, info);
      OutputCodec codec = t.settings().encoder.codec();
      if (codec.sizeProblem(info.width(), info.height()) != null) {
        // odd sizes are common in real archives: keep the size exactly with a codec that can
        t = t.withSettings(t.settings().with("output.codec", OutputCodec.ODD_SIZE.configName()));
        row.setCodec(OutputCodec.ODD_SIZE.configName());
        row.setSettingsHash(t.settings().hash());
        row.addWarning(
            "encoded with "
                + OutputCodec.ODD_SIZE.configName()
                + ": "
                + info.width()
                + "x"
                + info.height()
                + " is an odd size, which the "
                + codec.configName()
                + " encoder cannot keep");
      }
      ViasparkSettings s = t.settings();
      boolean named = t.outputOverride() != null && !t.outputOverride().isBlank();
      OutputContainer container =
          OutputContainer.choose(
              named ? t.outputOverride() : t.input(), s.encoder.codec(), info.audioCodec());
      String output = OutputNames.uri(t, outputDir, container, storage);
      row.setOutput(output);
      Integer clash = outputsTaken.putIfAbsent(output, t.id());
      if (clash != null) {
        fail(
            row,
            t.input()
                + ": output "
                + output
                + " is also the output of "
                + tasks.get(clash).input()
                + " (give one of them an 'output' in a manifest)");
        return null;
      }
      String key =
          WorkDir.videoKey(
              t.input(),
              p.size(),
              p.modified(),
              t.instruction(),
              s.hash() + modelFingerprint(s) + bankSourceFingerprint(s, t.input()),
              output);
      List<Segment> segments = SegmentPlanner.plan(info, s.segmentFrames);
      row.setSegments(segments.size());
      if (!s.overwrite && storage.exists(work.doneMarker(key)) && storage.exists(output)) {
        row.setStatus("skipped");
        row.setFrames(info.frameCount());
        if (s.temporalMetrics)
          setScores(row, DoneMarker.read(storage, work.doneMarker(key)).temporal());
        return null;
      }
      VideoContext ctx =
          new VideoContext(
              key,
              t.input(),
              t.instruction(),
              info.width(),
              info.height(),
              info.frameRate().value(),
              info.frameCount(),
              s.seed,
              videoOptions(s, t.input()));
      List<String> segmentUris = new ArrayList<>();
      List<String> scoreUris = new ArrayList<>();
      for (Segment seg : segments) {
        segmentUris.add(work.segment(key, seg.index()));
        scoreUris.add(work.segmentScores(key, seg.index()));
      }
      return new PlannedVideo(
          t,
          output,
          container.muxer(),
          key,
          segmentUris,
          scoreUris,
          ctx,
          segments,
          info.frameCount(),
          info.frameRate());
    }

    /**
     * The model folder's {@link ModelFolders#fingerprint}, listed once per job and model path, so
     * that a rerun after the weights were replaced at the same path edits again instead of
     * skipping; "" without a model or when it cannot be listed (the editor then fails the row,
     * naming it).
     */
    private String modelFingerprint(ViasparkSettings s) {
      if (s.modelPath.isBlank()) return "";
      return modelFingerprints.computeIfAbsent(
          s.modelPath,
          path -> {
            try {
              return " model " + ModelFolders.fingerprint(path, storage);
            } catch (IOException e) {
              return "";
            }
          });
    }

    /**
     * The guide folder's files, or the reference image, as they are now (names, sizes, times), so
     * that a rerun after a guide or the reference changed edits again instead of skipping; ""
     * without either or when it cannot be listed (the gather stage then fails the row, naming the
     * file).
     */
    private String bankSourceFingerprint(ViasparkSettings s, String input) {
      String source = s.guideFor(input) != null ? s.guideFor(input) : s.referenceFor(input);
      if (source == null) return "";
      StringBuilder b = new StringBuilder();
      try {
        for (FileStatus st : storage.listStatus(source)) {
          b.append('\n').append(st.getPath()).append(' ').append(st.getLen()).append(' ');
          b.append(st.getModificationTime());
        }
      } catch (IOException e) {
        return "";
      }
      return b.toString();
    }

    /**
     * The video's {@link MaskFrames#OPTION} (none, auto, or its mask file as a full URI), {@link
     * GuideFrames#OPTION} (its guide folder as a full URI) and {@link ReferenceImage#OPTION} (its
     * reference image as a full URI), where it has them.
     */
    private Map<String, String> videoOptions(ViasparkSettings s, String input) {
      Map<String, String> options = new HashMap<>();
      String mask = s.maskFor(input);
      if (mask != null) {
        options.put(
            MaskFrames.OPTION, MaskFrames.isFound(mask) ? mask : storage.path(mask).toString());
      }
      String guide = s.guideFor(input);
      if (guide != null) options.put(GuideFrames.OPTION, storage.path(guide).toString());
      String reference = s.referenceFor(input);
      if (reference != null) {
        options.put(ReferenceImage.OPTION, storage.path(reference).toString());
      }
      return Map.copyOf(options);
    }

    /** The gather stage, for the videos edited with gather-and-swap: their banks, by video key. */
    Map<String, BankHandle> gather(List<PlannedVideo> planned) throws IOException {
      List<GatherStage.Work> gatherWork = new ArrayList<>();
      Map<Integer, String> keys = new HashMap<>();
      for (PlannedVideo v : planned) {
        ViasparkSettings s = v.task().settings();
        if (!s.usesBank()) continue;
        String guide = GuideFrames.uriOf(v.context());
        int[] anchors;
        try {
          anchors =
              guide != null
                  ? GuideFrames.indices(guide, storage, v.frameCount())
                  : Anchors.of(s, v.frameCount());
        } catch (IllegalArgumentException e) {
          fail(rows.get(v.task().id()), v.task().input() + ": " + e.getMessage());
          continue;
        }
        if (anchors[anchors.length - 1] >= v.frameCount()) {
          fail(
              rows.get(v.task().id()),
              v.task().input()
                  + ": via.anchor-frames "
                  + Arrays.toString(anchors)
                  + " go past the video's "
                  + v.frameCount()
                  + " frames");
          continue;
        }
        String preview =
            Storage.join(Storage.join(outputDir, "anchors"), Storage.fileName(v.output()));
        gatherWork.add(
            new GatherStage.Work(
                v.task().id(),
                v.task().input(),
                v.segments(),
                anchors,
                v.context(),
                s,
                work.bank(v.key()),
                preview));
        keys.put(v.task().id(), v.key());
      }
      Map<String, BankHandle> banks = new HashMap<>();
      if (gatherWork.isEmpty()) return banks;
      log.println("[viaspark] gathering anchors of " + gatherWork.size() + " videos");
      long start = System.nanoTime();
      List<GatherStage.Result> results =
          GatherStage.run(sc, gatherWork, storage, gpu, base.cpuThreads, counters);
      log.printf("[viaspark] gather stage: %.1f s%n", stats.stage("gather", start));
      record(
          results,
          (row, r) -> {
            row.setSecondsGather(r.seconds());
            row.setSecondsTta(r.ttaSeconds());
            row.setTtaRootCandidate(r.ttaChosen());
          },
          (row, r) -> {
            banks.put(keys.get(r.taskId()), r.bank());
            row.setBankBytes(r.bank().bytes());
          });
      return banks;
    }

    /** One piece of work per segment of the videos still standing. */
    List<EditStage.Work> editWork(List<PlannedVideo> planned) {
      List<EditStage.Work> out = new ArrayList<>();
      for (PlannedVideo v : planned) {
        for (int i = 0; i < v.segments().size(); i++) {
          out.add(
              new EditStage.Work(
                  v.task().id(),
                  v.task().input(),
                  v.segments().get(i),
                  v.frameRate(),
                  v.context(),
                  v.task().settings(),
                  v.segmentUris().get(i),
                  v.scoreUris().get(i)));
        }
      }
      return out;
    }

    /**
     * Progress lines over the edit and assemble phases, with the totals of the videos still
     * standing.
     */
    Progress progress(List<PlannedVideo> planned, List<EditStage.Work> segments) {
      long frames = segments.stream().mapToLong(w -> w.segment().frames()).sum();
      log.println(
          "[viaspark] editing "
              + planned.size()
              + " videos: "
              + segments.size()
              + " segments, "
              + frames
              + " frames, editor "
              + base.editor);
      return new Progress(
          log,
          base.progressInterval,
          counters.frames,
          counters.segments,
          counters.videos,
          frames,
          segments.size(),
          planned.size());
    }

    /** Edits every segment; returns each video's segment scores, by task id. */
    Map<Integer, List<TemporalScores>> edit(
        List<EditStage.Work> segments, Map<String, BankHandle> banks) throws IOException {
      Broadcast<Map<String, BankHandle>> bankBroadcast = sc.broadcast(banks);
      Map<Integer, List<TemporalScores>> segmentScores = new HashMap<>();
      long start = System.nanoTime();
      List<EditStage.Result> edited =
          EditStage.run(
              sc, segments, storage, base.overwrite, counters, bankBroadcast, gpu, base.cpuThreads);
      log.printf("[viaspark] edit stage: %.1f s%n", stats.stage("edit", start));
      record(
          edited,
          (row, r) -> {
            row.setSecondsDecode(row.getSecondsDecode() + r.decodeSeconds());
            row.setSecondsEdit(row.getSecondsEdit() + r.editSeconds());
            row.setSecondsEncode(row.getSecondsEncode() + r.encodeSeconds());
            row.setSecondsMetrics(row.getSecondsMetrics() + r.metricsSeconds());
            segmentScores.computeIfAbsent(r.taskId(), k -> new ArrayList<>()).add(r.scores());
            if (r.skipped()) row.setSegmentsReused(row.getSegmentsReused() + 1);
          },
          (row, r) -> {});
      return segmentScores;
    }

    /** Joins each standing video's segments into its output. */
    void assemble(List<PlannedVideo> planned, Map<Integer, List<TemporalScores>> segmentScores)
        throws IOException {
      List<AssembleStage.Work> assembleWork = new ArrayList<>();
      for (PlannedVideo v : planned) {
        TemporalScores scores =
            v.task().settings().temporalMetrics
                ? SegmentScores.merge(segmentScores.getOrDefault(v.task().id(), List.of()))
                : null;
        setScores(rows.get(v.task().id()), scores);
        assembleWork.add(
            new AssembleStage.Work(
                v.task().id(),
                v.task().input(),
                v.segmentUris(),
                v.output(),
                v.muxer(),
                work.doneMarker(v.key()),
                work.video(v.key()),
                v.task().settings().keepSegments,
                v.scoreUris(),
                scores));
      }
      long start = System.nanoTime();
      List<AssembleStage.Result> assembled =
          AssembleStage.run(sc, assembleWork, storage, base.inputCacheBytes, counters);
      stats.stage("assemble", start);
      record(
          assembled,
          (row, r) -> row.setSecondsAssemble(r.seconds()),
          (row, r) -> {
            row.setStatus("ok");
            row.setFrames(r.frames());
          });
    }

    /** The videos of {@code planned} that have not failed. */
    List<PlannedVideo> standing(List<PlannedVideo> planned) {
      return planned.stream().filter(v -> rows.get(v.task().id()).getError() == null).toList();
    }

    /** Whether job.fail-fast ends the job here: a video has failed. */
    boolean stopped() {
      return base.failFast && rows.stream().anyMatch(r -> "failed".equals(r.getStatus()));
    }

    /**
     * Stage results into report rows: {@code always} sees every result; a video's first error fails
     * its row; {@code ok} sees the results without one.
     */
    <R extends StageResult> void record(List<R> results, RowUpdate<R> always, RowUpdate<R> ok)
        throws IOException {
      for (R r : results) {
        ReportRow row = rows.get(r.taskId());
        always.accept(row, r);
        if (r.error() == null) ok.accept(row, r);
        else if (row.getError() == null) fail(row, r.error());
      }
    }

    JobSummary finish() throws IOException {
      return EditJob.this.finish(rows, outputDir, storage, stats);
    }
  }

  /** What a phase does to a video's report row with one of its stage results. */
  @FunctionalInterface
  private interface RowUpdate<R> {
    void accept(ReportRow row, R result) throws IOException;
  }

  private JobSummary finish(List<ReportRow> rows, String outputDir, Storage storage, JobStats stats)
      throws IOException {
    for (ReportRow r : rows) {
      if (r.getStatus() == null)
        fail(r, r.getInput() + ": not run (job.fail-fast stopped the job after a failure)");
    }
    ReportWriter.write(spark, rows, outputDir, storage, stats);
    return new JobSummary(rows, outputDir);
  }

  private record PlannedVideo(
      VideoTask task,
      String output,
      String muxer,
      String key,
      List<String> segmentUris,
      List<String> scoreUris,
      VideoContext context,
      List<Segment> segments,
      int frameCount,
      Rational frameRate) {}

  /**
   * The video's temporal scores into its row; null (metrics off, or reused work without scores)
   * leaves them null.
   */
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
    row.addWarning(info.frameCountWarning());
    row.addWarning(info.bitDepthWarning());
  }

  private static void fail(ReportRow row, String error) {
    row.setStatus("failed");
    row.setError(error);
  }
}
