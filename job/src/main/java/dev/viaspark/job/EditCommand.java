package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.UsageException;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.job.driver.EditJob;
import dev.viaspark.job.driver.EditRequest;
import dev.viaspark.job.driver.JobConfig;
import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.stages.GpuStageProfile;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code viaspark edit}: parses and validates the arguments (configuration errors stop here, before
 * Spark starts), starts Spark and runs {@link EditJob}. Exit status: the job summary's.
 */
final class EditCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark edit --input URI --output URI [--instruction TEXT] [--editor NAME]",
          "                     [--config FILE] [--set key=value]... [--overwrite]",
          "",
          "  --input URI        a video file, a folder of videos, a glob (quote it), or a manifest:",
          "                     .csv / .jsonl / .parquet with columns video, instruction, [output], [setting overrides]",
          "  --output URI       folder for the edited videos, report.jsonl and report.parquet",
          "  --instruction TEXT the edit, for inputs without a manifest instruction",
          "  --editor NAME      the frame editor (same as --set edit.editor=NAME)",
          "  --config FILE      a HOCON file of settings (see reference.conf and docs/configuration.md)",
          "  --set key=value    one setting; spark.* keys are Spark/Hadoop properties, e.g.",
          "                     --set spark.master=local[2]  --set spark.hadoop.fs.s3a.endpoint=http://...",
          "  --overwrite        redo videos and segments that an earlier run finished",
          "",
          "URIs are anything Hadoop reads: local paths, file:, hdfs:, s3a:.",
          "Exit status: 0 all ok or already done, 1 bad usage or configuration, 2 some videos failed (each has its",
          "report row), 3 an unexpected error (stack trace printed).",
          "",
          "editors:");

  private EditCommand() {}

  /** Parsed edit arguments: the request and the Spark properties to start with. */
  record EditArgs(EditRequest request, Map<String, String> sparkProperties) {}

  static EditArgs parse(List<String> args) {
    CommandLine cl =
        CommandLine.parse(
            "edit",
            args,
            Set.of("--input", "--output", "--instruction", "--editor", "--config", "--set"),
            Set.of("--overwrite", "--help"),
            0);
    if (cl.has("--help")) return null;
    if (cl.get("--input") == null)
      throw new UsageException("edit: --input is required (see viaspark edit --help)");
    if (cl.get("--output") == null)
      throw new UsageException("edit: --output is required (see viaspark edit --help)");
    List<String> sets = new ArrayList<>();
    if (cl.get("--editor") != null) sets.add("edit.editor=" + cl.get("--editor"));
    if (cl.has("--overwrite")) sets.add("output.overwrite=true");
    sets.addAll(cl.all("--set"));
    File configFile = cl.get("--config") == null ? null : new File(cl.get("--config"));
    JobConfig config = new JobConfig(configFile, sets);
    ViasparkSettings settings = config.resolve();
    Map<String, String> sparkProperties = config.sparkProperties();
    GpuStageProfile.validate(settings.gpuStages, SparkSessions.conf(sparkProperties));
    return new EditArgs(
        new EditRequest(cl.get("--input"), cl.get("--output"), cl.get("--instruction"), config),
        sparkProperties);
  }

  static int run(List<String> args, PrintStream out) throws Exception {
    EditArgs parsed = parse(args);
    if (parsed == null) {
      out.println(HELP);
      FrameEditors.describe().forEach(l -> out.println("  " + l));
      return 0;
    }
    SparkSession spark = SparkSessions.start(parsed.sparkProperties());
    try {
      JobSummary summary = new EditJob(spark, out).run(parsed.request());
      out.println(summary.describe());
      return summary.exitCode();
    } finally {
      spark.stop();
    }
  }
}
