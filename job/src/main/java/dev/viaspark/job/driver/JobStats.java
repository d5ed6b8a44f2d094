package dev.viaspark.job.driver;

import dev.viaspark.job.stages.JobCounters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What OUTPUT/job.json says about a run: the Spark application, when it ran, each stage's wall
 * seconds, the tasks' seconds per stage summed over the videos, the counters' totals and the videos
 * by status.
 */
public final class JobStats {
  private final String applicationId;
  private final Instant started = Instant.now();
  private final JobCounters counters;
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();

  JobStats(String applicationId, JobCounters counters) {
    this.applicationId = applicationId;
    this.counters = counters;
  }

  /**
   * Records a stage that started at {@code startNanos} (System.nanoTime) and just ended; returns
   * its seconds.
   */
  double stage(String name, long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    stageSeconds.put(name, s);
    return s;
  }

  /**
   * The report's task seconds summed over its videos, per stage (tta: the part of gather that
   * test-time adaptation took).
   */
  private static Map<String, Double> taskSecondsByStage(List<ReportRow> rows) {
    Map<String, ToDoubleFunction<ReportRow>> columns = new LinkedHashMap<>();
    columns.put("probe", ReportRow::getSecondsProbe);
    columns.put("gather", ReportRow::getSecondsGather);
    columns.put("tta", ReportRow::getSecondsTta);
    columns.put("decode", ReportRow::getSecondsDecode);
    columns.put("edit", ReportRow::getSecondsEdit);
    columns.put("encode", ReportRow::getSecondsEncode);
    columns.put("metrics", ReportRow::getSecondsMetrics);
    columns.put("assemble", ReportRow::getSecondsAssemble);
    Map<String, Double> sums = new LinkedHashMap<>();
    columns.forEach((stage, column) -> sums.put(stage, rows.stream().mapToDouble(column).sum()));
    return sums;
  }

  Map<String, Object> toMap(List<ReportRow> rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applicationId", applicationId);
    m.put("started", started.toString());
    m.put("finished", Instant.now().toString());
    Map<String, Long> videos = new LinkedHashMap<>();
    for (String status : List.of("ok", "skipped", "failed")) {
      videos.put(status, rows.stream().filter(r -> status.equals(r.getStatus())).count());
    }
    m.put("videos", videos);
    m.put("stageSeconds", stageSeconds);
    m.put("taskSecondsByStage", taskSecondsByStage(rows));
    m.put("counters", counters.totals());
    return m;
  }
}
