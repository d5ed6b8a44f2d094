package dev.viaspark.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputCacheTest {
  @TempDir File dir;
  private final Storage storage = RemoteTestFileSystem.storage();

  private String remote(String name, int bytes) throws IOException {
    byte[] b = new byte[bytes];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + name.hashCode());
    File f = new File(dir, name);
    Files.write(f.toPath(), b);
    return "remotetest://" + f.getAbsolutePath();
  }

  @Test
  void tasksOfOneJvmShareOneDownload() throws Exception {
    String uri = remote("a.mp4", 200_000);
    int before = RemoteTestFileSystem.OPENS.get();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> reads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        reads.add(
            pool.submit(
                () -> {
                  try (InputCache.Lease l = InputCache.acquire(storage, uri, 1 << 20)) {
                    return Files.readAllBytes(l.file().toPath());
                  }
                }));
      }
      byte[] expected = Files.readAllBytes(new File(dir, "a.mp4").toPath());
      for (Future<byte[]> r : reads) assertArrayEquals(expected, r.get());
    } finally {
      pool.shutdown();
    }
    assertEquals(1, RemoteTestFileSystem.OPENS.get() - before, "eight tasks, one download");
  }

  @Test
  void aReplacedObjectIsFetchedAgain() throws Exception {
    String uri = remote("b.mp4", 1000);
    File first;
    try (InputCache.Lease l = InputCache.acquire(storage, uri, 1 << 20)) {
      first = l.file();
    }
    File f = new File(dir, "b.mp4");
    Files.write(f.toPath(), new byte[2000]);
    assertTrue(f.setLastModified(f.lastModified() + 5000));
    try (InputCache.Lease l = InputCache.acquire(storage, uri, 1 << 20)) {
      assertNotEquals(first, l.file());
      assertEquals(2000, l.file().length());
    }
  }

  @Test
  void copiesNoTaskHoldsAreEvictedPastTheLimitAndLargeOnesAreNotCached() throws Exception {
    String c = remote("c.mp4", 60_000);
    String d = remote("d.mp4", 60_000);
    long limit = 100_000;
    File cCopy;
    try (InputCache.Lease l = InputCache.acquire(storage, c, limit)) {
      cCopy = l.file();
    }
    try (InputCache.Lease held = InputCache.acquire(storage, d, limit)) {
      assertFalse(cCopy.exists(), "c went to make room for d");
      assertTrue(held.file().isFile());
    }

    String big = remote("big.mp4", 150_000);
    File own;
    try (InputCache.Lease l = InputCache.acquire(storage, big, limit)) {
      own = l.file();
      assertEquals(150_000, own.length());
    }
    assertFalse(own.exists(), "a copy larger than the limit is the task's own, deleted after it");

    File local = new File(dir, "local.mp4");
    Files.write(local.toPath(), new byte[10]);
    try (InputCache.Lease l = InputCache.acquire(storage, local.getPath(), limit)) {
      assertEquals(local.getAbsoluteFile(), l.file().getAbsoluteFile(), "a local input is used");
    }
  }
}
