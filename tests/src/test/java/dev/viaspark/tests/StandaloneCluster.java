package dev.viaspark.tests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway Spark standalone cluster on this machine for tests: a master and one single-core
 * worker per host name, each a child JVM on the test classpath, and executors launched by the
 * workers as real child processes. Host names are loopback addresses (127.0.0.1, 127.0.0.2, ...),
 * so Spark sees several hosts and can place a speculative copy of a task beside the original (it
 * never runs two attempts of a task on one host).
 */
final class StandaloneCluster implements AutoCloseable {
  private static final List<String> OPENS =
      List.of(
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

  private final File dir;
  private final List<Process> processes = new ArrayList<>();
  private final int port = 20000 + ThreadLocalRandom.current().nextInt(20000);

  /**
   * Starts the master and one worker per host, waiting until each has registered.
   *
   * @param dir an empty folder for the cluster's logs, its Spark home and the executors' work dirs
   */
  StandaloneCluster(File dir, List<String> workerHosts) throws IOException, InterruptedException {
    this.dir = dir;
    // what a worker needs to launch executors: a Spark home with a jars folder and a RELEASE marker
    // (the executors' classpath comes from spark.executor.extraClassPath, see classpath())
    File home = new File(dir, "spark-home");
    new File(home, "jars").mkdirs();
    Files.writeString(new File(home, "RELEASE").toPath(), "test cluster\n");
    // the test classpath's log4j2-test.properties keeps INFO quiet, and start-up is read from INFO
    Files.writeString(
        logConfig().toPath(),
        String.join(
            "\n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.console.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n",
            ""));
    try {
      start(
          "master",
          "org.apache.spark.deploy.master.Master",
          Map.of(),
          List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0"));
      awaitLog("master", "I have been elected leader");
      for (String host : workerHosts) {
        start(
            "worker-" + host,
            "org.apache.spark.deploy.worker.Worker",
            Map.of(
                "SPARK_HOME",
                home.getPath(),
                "SPARK_SCALA_VERSION",
                "2.12",
                "SPARK_LOCAL_IP",
                host),
            List.of(
                "--host",
                host,
                "--cores",
                "1",
                "--memory",
                "2g",
                "--webui-port",
                "0",
                "--work-dir",
                new File(dir, "executors-" + host).getPath(),
                masterUrl()));
        awaitLog("worker-" + host, "Successfully registered with master");
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private File logConfig() {
    return new File(dir, "log4j2.properties");
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /** The test JVM's classpath: what executors need to run the job and the test editors. */
  static String classpath() {
    return System.getProperty("java.class.path");
  }

  /** The workers' logs so far, one after the other. */
  String workerLogs() throws IOException {
    StringBuilder s = new StringBuilder();
    for (File f : dir.listFiles((d, n) -> n.startsWith("worker-") && n.endsWith(".log")))
      s.append(Files.readString(f.toPath(), StandardCharsets.UTF_8));
    return s.toString();
  }

  /** Every executor log (stderr) written so far, for failure messages. */
  String executorLogs() throws IOException {
    StringBuilder s = new StringBuilder();
    try (var files = Files.walk(dir.toPath())) {
      for (var p : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        s.append("\n--- ")
            .append(p)
            .append('\n')
            .append(text, Math.max(0, text.length() - 4000), text.length());
      }
    }
    return s.toString();
  }

  private void start(String name, String main, Map<String, String> env, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(OPENS);
    command.addAll(
        List.of(
            "-Xmx512m",
            "-Dlog4j2.configurationFile=" + logConfig().getPath(),
            "-cp",
            classpath(),
            main));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(new File(dir, name + ".log"));
    pb.environment().putAll(env);
    processes.add(pb.start());
  }

  private void awaitLog(String name, String line) throws IOException, InterruptedException {
    File log = new File(dir, name + ".log");
    for (int i = 0; i < 600; i++) {
      if (log.exists() && Files.readString(log.toPath()).contains(line)) return;
      if (!processes.get(processes.size() - 1).isAlive()) break;
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        name + " did not start (no '" + line + "' in its log):\n" + Files.readString(log.toPath()));
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
