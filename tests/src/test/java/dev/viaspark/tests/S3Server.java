package dev.viaspark.tests;

import dev.viaspark.storage.TempFolder;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3-compatible server on 127.0.0.1 for tests: Adobe's S3Mock (copied to target/s3mock by the
 * build), run as its own JVM on a free port with one bucket, storing objects under a temporary
 * folder.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "viaspark-test";
  static final String SECRET_KEY = "viaspark-test-secret";
  private static final Pattern STARTED =
      Pattern.compile("Tomcat started on ports (\\d+) \\(https\\), (\\d+) \\(http\\)");

  private final Process process;
  private final File root;
  final int port;

  private S3Server(Process process, File root, int port) {
    this.process = process;
    this.root = root;
    this.port = port;
  }

  static S3Server start(String bucket) throws Exception {
    File jar = new File("target/s3mock/s3mock.jar");
    if (!jar.isFile())
      throw new IllegalStateException(
          jar.getAbsolutePath() + " is missing: run the tests with mvn");
    File root = Files.createTempDirectory("viaspark-s3").toFile();
    String java = new File(System.getProperty("java.home"), "bin/java").getPath();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-jar",
                jar.getPath(),
                "--http.port=0",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.initialBuckets=" + bucket)
            .redirectErrorStream(true)
            .start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  if (!port.isDone()) log.append(line).append('\n');
                  Matcher m = STARTED.matcher(line);
                  if (m.find()) port.complete(Integer.parseInt(m.group(2)));
                }
              } catch (IOException ignored) {
                // the server was stopped
              }
              port.completeExceptionally(
                  new IllegalStateException("S3Mock exited before it started:\n" + log));
            },
            "s3mock-log");
    reader.setDaemon(true);
    reader.start();
    try {
      return new S3Server(p, root, port.get(90, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /**
   * The {@code spark.hadoop.fs.s3a.*} settings that reach this server, with its credentials set
   * explicitly.
   */
  Map<String, String> sparkProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:" + port);
    m.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    m.put("spark.hadoop.fs.s3a.path.style.access", "true");
    m.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
    m.put(
        "spark.hadoop.fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("spark.hadoop.fs.s3a.access.key", ACCESS_KEY);
    m.put("spark.hadoop.fs.s3a.secret.key", SECRET_KEY);
    m.put("spark.hadoop.fs.s3a.attempts.maximum", "2");
    m.put("spark.hadoop.fs.s3a.retry.limit", "2");
    return m;
  }

  /** The same as {@code --set key=value} settings of the job. */
  List<String> sets() {
    return sparkProperties().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    TempFolder.deleteTree(root);
  }
}
