package dev.viaspark.job.driver;

import dev.viaspark.job.stages.JobCounters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What OUTPUT/job.json says about a run: the Spark application, when it ran, each stage's wall
 * seconds, the counters' totals and the videos by status.
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
    m.put("counters", counters.totals());
    return m;
  }
}
