package dev.viaspark.job.driver;

import dev.viaspark.storage.Storage;
import java.util.List;

/** The outcome of a job: the report rows and where the report went. */
public record JobSummary(List<ReportRow> rows, String outputDir) {
  public long count(String status) {
    return rows.stream().filter(r -> status.equals(r.getStatus())).count();
  }

  /** 0 when every video succeeded or was already done, 2 when some failed. */
  public int exitCode() {
    return count("failed") > 0 ? 2 : 0;
  }

  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "%d videos: %d ok, %d skipped (already done), %d failed%n",
            rows.size(), count("ok"), count("skipped"), count("failed")));
    for (ReportRow r : rows) {
      if ("failed".equals(r.getStatus())) {
        s.append("  FAILED ").append(r.getError()).append('\n');
      } else {
        s.append(
            String.format(
                "  %-7s %s -> %s (%d frames, %d segments)%n",
                r.getStatus(), r.getInput(), r.getOutput(), r.getFrames(), r.getSegments()));
      }
    }
    s.append("report: ")
        .append(Storage.join(outputDir, "report.jsonl"))
        .append(" and report.parquet");
    return s.toString();
  }
}
