package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.UsageException;
import dev.viaspark.job.driver.JobConfig;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.video.VideoException;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** {@code viaspark probe URI}: what the probe stage sees in one video. */
final class ProbeCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark probe URI [--config FILE] [--set key=value]...",
          "",
          "Prints the streams, fps, timebase, frame count, keyframes and rotation of a video, as the probe",
          "stage sees them (a packet scan: nothing is decoded). --config/--set as for edit: spark.hadoop.* settings",
          "reach the file system, e.g. --set spark.hadoop.fs.s3a.endpoint=http://...",
          "Exit status: 0 probed, 1 bad usage or configuration, 2 the video is missing or cannot be read (as a",
          "failed video in edit), 3 an unexpected error.");

  private ProbeCommand() {}

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse("probe", args, Set.of("--config", "--set"), Set.of("--help"), 1);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    if (cl.positional().isEmpty())
      throw new UsageException("probe: a video URI is required\n" + HELP);
    String uri = cl.positional().get(0);
    JobConfig config =
        new JobConfig(
            cl.get("--config") == null ? null : new File(cl.get("--config")), cl.all("--set"));
    config.resolve();
    Storage storage = Storage.fromSparkProperties(SparkSessions.conf(config.sparkProperties()));
    try (TempFolder tmp = TempFolder.create("viaspark-probe")) {
      File local;
      try {
        if (!storage.exists(uri)) throw new VideoException(uri, "no such file");
        local = storage.localCopy(uri, tmp.dir());
      } catch (UncheckedIOException | IOException e) {
        throw new VideoException(uri, "cannot be read: " + e.getMessage());
      }
      out.print(VideoProbe.probe(local).describe());
      return 0;
    }
  }
}
