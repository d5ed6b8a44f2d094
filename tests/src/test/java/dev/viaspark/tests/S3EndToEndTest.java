package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.spark.SessionStorage;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on S3: s3a:// input, output, work dir and model path against an S3-compatible server on
 * 127.0.0.1, with the credentials given explicitly as Spark properties (nothing probes a cloud
 * metadata service).
 */
class S3EndToEndTest extends LocalSparkTest {
  static final String BUCKET = "s3a://viaspark";
  private S3Server server;
  @TempDir File dir;

  @Override
  protected Map<String, String> sparkProperties() {
    try {
      server = S3Server.start("viaspark");
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the S3 test server", e);
    }
    return server.sparkProperties();
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) server.close();
  }

  private Storage storage() {
    return SessionStorage.of(spark);
  }

  private void upload(File local, String uri) throws Exception {
    storage().publish(local, uri);
  }

  /** Every object key under {@code prefix}, relative to it. */
  private List<String> keys(String prefix) throws Exception {
    Storage s = storage();
    // qualified: java.nio.file.Path is the one imported
    org.apache.hadoop.fs.Path p = s.path(prefix);
    List<String> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = s.fs(p).listFiles(p, true);
    String base = s.path(prefix).toString() + "/";
    while (it.hasNext()) out.add(it.next().getPath().toString().substring(base.length()));
    return out;
  }

  @Test
  void editsVideosFromS3IntoS3AndABrokenOneFailsItsRow() throws Exception {
    File a =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(40)
            .gop(10)
            .audio(true)
            .write(new File(dir, "a.mp4"));
    File broken = new File(dir, "broken.mp4");
    Files.writeString(broken.toPath(), "not a video");
    upload(a, BUCKET + "/raw/dt=2026-11-21/a.mp4");
    upload(broken, BUCKET + "/raw/dt=2026-11-21/broken.mp4");

    String out = BUCKET + "/edited/dt=2026-11-21";
    List<String> sets =
        new ArrayList<>(
            List.of(
                "edit.editor=opencv:sepia",
                "output.codec=ffv1",
                "video.segment-frames=10",
                "job.work-dir=" + BUCKET + "/work"));
    JobSummary s = edit(BUCKET + "/raw/dt=2026-11-21/", out, "make it sepia", sets);
    assertEquals(2, s.exitCode(), describe(s));
    ReportRow ok = row(s, "a.mp4");
    assertEquals("ok", ok.getStatus(), describe(s));
    assertEquals(out + "/a.mkv", ok.getOutput());
    assertEquals(4, ok.getSegments());
    Media.assertContains(row(s, "broken.mp4").getError(), "broken.mp4");

    File local =
        storage().localCopy(ok.getOutput(), Files.createTempDirectory(dir.toPath(), "dl").toFile());
    assertEquals(40, VideoProbe.probe(local).frameCount());
    assertTrue(VideoProbe.probe(local).hasAudio(), "audio copied");

    List<String> written = keys(out);
    assertTrue(
        written.containsAll(List.of("a.mkv", "report.jsonl", "job.json")), written.toString());
    assertTrue(
        written.stream().anyMatch(k -> k.matches("report\\.parquet/part-.*\\.parquet")),
        written.toString());
    assertFalse(
        written.stream().anyMatch(k -> k.contains(".tmp") || k.contains("_temporary")),
        "nothing partial or temporary is left: " + written);
    List<String> work = keys(BUCKET + "/work");
    assertTrue(
        work.stream().allMatch(k -> k.endsWith("/done.json")),
        "segments removed after assembly: " + work);
    JsonNode report =
        new ObjectMapper().readTree(storage().readString(out + "/report.jsonl").split("\n")[0]);
    assertTrue(report.has("status"));
    assertEquals(2, spark.read().parquet(out + "/report.parquet").count());

    JobSummary again = edit(BUCKET + "/raw/dt=2026-11-21/", out, "make it sepia", sets);
    assertEquals("skipped", row(again, "a.mp4").getStatus(), "a rerun on S3 skips finished work");
  }

  @Test
  void diffusionWithGatherAndSwapReadsItsModelFromS3() throws Exception {
    try (Stream<Path> files = Files.walk(DiffusionEditTest.MODEL.toPath())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        upload(
            f.toFile(), BUCKET + "/models/tiny/" + DiffusionEditTest.MODEL.toPath().relativize(f));
      }
    }
    File clip =
        new SyntheticVideo()
            .size(48, 32)
            .fps(25, 1)
            .frames(12)
            .gop(4)
            .audio(false)
            .write(new File(dir, "clip.mp4"));
    upload(clip, BUCKET + "/clips/clip.mp4");
    String out = BUCKET + "/via-out";
    JobSummary s =
        edit(
            BUCKET + "/clips/clip.mp4",
            out,
            "make it snowy",
            List.of(
                "edit.editor=ip2p",
                "model.path=" + BUCKET + "/models/tiny",
                "edit.steps=3",
                "via.enabled=true",
                "via.anchors=2",
                "via.swap-steps=2",
                "via.inline-bank-bytes=1",
                "video.segment-frames=4",
                "output.codec=ffv1",
                "job.work-dir=" + BUCKET + "/via-work"));
    assertEquals(0, s.exitCode(), describe(s));
    ReportRow r = s.rows().get(0);
    assertTrue(r.getBankBytes() > 0, "the bank went through the S3 work dir");
    File local =
        storage().localCopy(r.getOutput(), Files.createTempDirectory(dir.toPath(), "dl").toFile());
    assertEquals(12, VideoProbe.probe(local).frameCount());
    assertTrue(
        keys(out).stream().anyMatch(k -> k.startsWith("anchors/clip.mkv/anchor-")),
        keys(out).toString());
  }

  /**
   * Bytes read from S3 by one job over a video of 6 segments, with the input cache and without it
   * (every task its own copy: probe, 6 edit tasks, assemble); local Spark, so one JVM reads all.
   */
  @Test
  void aVideoIsDownloadedOncePerJvmNotOncePerTask() throws Exception {
    File clip =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(60)
            .gop(10)
            .audio(true)
            .write(new File(dir, "long.mp4"));
    String input = BUCKET + "/once/long.mp4";
    upload(clip, input);
    long size = clip.length();
    List<String> sets =
        List.of("edit.editor=opencv:sepia", "output.codec=ffv1", "video.segment-frames=10");

    long before = s3aBytesRead();
    JobSummary uncached =
        edit(
            input,
            new File(dir, "uncached"),
            "make it sepia",
            concat(sets, "job.input-cache-bytes=0"));
    long uncachedBytes = s3aBytesRead() - before;
    before = s3aBytesRead();
    JobSummary cached = edit(input, new File(dir, "cached"), "make it sepia", sets);
    long cachedBytes = s3aBytesRead() - before;

    assertEquals(0, uncached.exitCode(), describe(uncached));
    assertEquals(0, cached.exitCode(), describe(cached));
    assertEquals(6, row(cached, "long.mp4").getSegments());
    assertEquals(8 * size, uncachedBytes, "probe + 6 edit tasks + assemble, each a whole copy");
    assertEquals(size, cachedBytes, "one copy for every task of this JVM");
    Media.assertSamePixels(new File(dir, "uncached/long.mkv"), new File(dir, "cached/long.mkv"));
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> all = new ArrayList<>(a);
    all.add(b);
    return all;
  }

  @SuppressWarnings("deprecation") // S3A counts its bytes in the per-scheme statistics
  private static long s3aBytesRead() {
    return FileSystem.getAllStatistics().stream()
        .filter(st -> "s3a".equals(st.getScheme()))
        .mapToLong(FileSystem.Statistics::getBytesRead)
        .sum();
  }
}
