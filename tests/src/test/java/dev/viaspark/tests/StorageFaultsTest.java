package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.SyntheticVideo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads and writes that fail the way a flaky object store fails: a transient failure is tried again
 * and the video is edited; one that keeps failing fails that video's row only and leaves nothing
 * partial where it was going.
 */
class StorageFaultsTest extends LocalSparkTest {
  private static final String IMPL = FaultyFileSystem.class.getName();

  @TempDir File dir;

  @Override
  protected Map<String, String> sparkProperties() {
    return Map.of("spark.hadoop.fs.faulty.impl", IMPL);
  }

  @AfterEach
  void noFaultsLeft() {
    FaultyFileSystem.reset();
  }

  @Test
  void storageTriesAgainAndAFailedWriteLeavesNothing() throws IOException {
    Storage storage = new Storage(Map.of("fs.faulty.impl", IMPL));
    byte[] bytes = new byte[100_000];
    new Random(1).nextBytes(bytes);
    File src = new File(dir, "src");
    src.mkdirs();
    for (String name : List.of("a.bin", "b.bin")) Files.write(new File(src, name).toPath(), bytes);
    File tmp = new File(dir, "tmp");
    tmp.mkdirs();

    FaultyFileSystem.failReads("a.bin", 2);
    File copy = storage.localCopy(FaultyFileSystem.uri(new File(src, "a.bin")), tmp);
    assertArrayEquals(bytes, Files.readAllBytes(copy.toPath()));

    FaultyFileSystem.failReads("b.bin", FaultyFileSystem.FOREVER);
    String lost = FaultyFileSystem.uri(new File(src, "b.bin"));
    IOException read = assertThrows(IOException.class, () -> storage.localCopy(lost, tmp));
    Media.assertContains(read.getMessage(), "cannot read " + lost + " (3 attempts)");
    Media.assertContains(read.getMessage(), "injected fault");
    assertEquals(List.of(copy.getName()), Arrays.asList(tmp.list()), "no partial local copy");

    File out = new File(dir, "out");
    FaultyFileSystem.failWrites("c.bin", 1);
    storage.publish(copy, FaultyFileSystem.uri(new File(out, "c.bin")));
    assertArrayEquals(bytes, Files.readAllBytes(new File(out, "c.bin").toPath()));

    FaultyFileSystem.failWrites("d.bin", FaultyFileSystem.FOREVER);
    String never = FaultyFileSystem.uri(new File(out, "d.bin"));
    IOException write = assertThrows(IOException.class, () -> storage.publish(copy, never));
    Media.assertContains(write.getMessage(), "cannot write " + never + " (3 attempts)");
    assertEquals(List.of("c.bin"), Arrays.asList(out.list()), "nothing partial at the destination");

    // one failure only: trying again would succeed, but a full disk is not tried again
    FaultyFileSystem.fillDisk("e.bin", 1);
    String full = FaultyFileSystem.uri(new File(out, "e.bin"));
    IOException disk = assertThrows(IOException.class, () -> storage.publish(copy, full));
    assertEquals("cannot write " + full + ": no space left on device", disk.getMessage());
    assertEquals(List.of("c.bin"), Arrays.asList(out.list()), "nothing partial at the destination");
  }

  @Test
  void aVideoWhoseFilesKeepFailingFailsItsRowAlone() throws IOException {
    File good =
        new SyntheticVideo()
            .size(64, 48)
            .fps(25, 1)
            .frames(20)
            .gop(10)
            .write(new File(dir, "good.mp4"));
    File in = new File(dir, "in");
    in.mkdirs();
    for (String name : List.of("flaky-read", "lost-read", "flaky-write", "lost-write", "full"))
      Files.copy(good.toPath(), new File(in, name + ".mp4").toPath());
    FaultyFileSystem.failReads("flaky-read.mp4", 2);
    FaultyFileSystem.failReads("lost-read.mp4", FaultyFileSystem.FOREVER);
    FaultyFileSystem.failWrites("flaky-write.mkv", 2);
    FaultyFileSystem.failWrites("lost-write.mkv", FaultyFileSystem.FOREVER);
    FaultyFileSystem.fillDisk("full.mkv", FaultyFileSystem.FOREVER);

    File out = new File(dir, "out");
    JobSummary s =
        edit(
            FaultyFileSystem.uri(in),
            FaultyFileSystem.uri(out),
            null,
            List.of("edit.editor=identity", "output.codec=ffv1", "video.segment-frames=10"));
    assertEquals(5, s.rows().size(), describe(s));
    assertEquals("ok", row(s, "flaky-read.mp4").getStatus(), describe(s));
    assertEquals("ok", row(s, "flaky-write.mp4").getStatus(), describe(s));
    assertEquals("failed", row(s, "lost-read.mp4").getStatus(), describe(s));
    assertEquals("failed", row(s, "lost-write.mp4").getStatus(), describe(s));
    Media.assertContains(row(s, "lost-read.mp4").getError(), "lost-read.mp4 (3 attempts)");
    Media.assertContains(row(s, "lost-write.mp4").getError(), "lost-write.mkv (3 attempts)");
    assertEquals("failed", row(s, "full.mp4").getStatus(), describe(s));
    Media.assertContains(row(s, "full.mp4").getError(), "full.mkv: no space left on device");
    for (String name : List.of("flaky-read.mkv", "flaky-write.mkv"))
      Media.assertSamePixels(good, new File(out, name));
    String[] outputs = out.list((d, n) -> n.contains("lost") || n.contains("full"));
    assertEquals(List.of(), Arrays.asList(outputs), "nothing partial at the destination");
    assertFalse(new File(out, "lost-write.mkv").exists());
    assertTrue(new File(out, "report.jsonl").isFile());
  }
}
