package dev.viaspark.job.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes OUTPUT/report.jsonl (one JSON object per line), OUTPUT/report.parquet (a Spark Parquet
 * folder) and OUTPUT/job.json (the run's stage times and counters, see {@link JobStats}).
 */
public final class ReportWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private ReportWriter() {}

  static void write(
      SparkSession spark, List<ReportRow> rows, String outputDir, Storage storage, JobStats stats)
      throws IOException {
    StringBuilder lines = new StringBuilder();
    for (ReportRow r : rows) lines.append(JSON.writeValueAsString(r)).append('\n');
    try (TempFolder folder = TempFolder.create("viaspark-report")) {
      File tmp = folder.dir();
      storage.writeString(Storage.join(outputDir, "report.jsonl"), lines.toString(), tmp);
      storage.writeString(
          Storage.join(outputDir, "job.json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stats.toMap(rows)) + "\n",
          tmp);
    }
    spark.sparkContext().setJobDescription("viaspark report: " + rows.size() + " rows");
    spark
        .createDataFrame(rows, ReportRow.class)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(Storage.join(outputDir, "report.parquet"));
  }

  static String toJson(ReportRow r) throws IOException {
    return JSON.writeValueAsString(r);
  }
}
