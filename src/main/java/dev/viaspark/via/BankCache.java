package dev.viaspark.via;

import dev.viaspark.storage.Storage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Local copies of the banks an executor JVM is swapping with, bounded in bytes: a bank is
 * materialised once (from the broadcast's inline bytes, or copied from the work dir), shared by the
 * tasks of its video, and the least recently used banks that no task holds are deleted when the
 * total passes the limit.
 */
public final class BankCache {
  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(16, 0.75f, true);
  private static long totalBytes;

  private BankCache() {}

  private static final class Entry {
    final Path folder;
    final long bytes;
    int leases;

    Entry(Path folder, long bytes) {
      this.folder = folder;
      this.bytes = bytes;
    }
  }

  /** A bank's local folder, held until closed. */
  public static final class Lease implements AutoCloseable {
    private final String uri;
    private final Path folder;
    private boolean closed;

    private Lease(String uri, Path folder) {
      this.uri = uri;
      this.folder = folder;
    }

    public Path folder() {
      return folder;
    }

    @Override
    public void close() {
      synchronized (BankCache.class) {
        if (closed) return;
        closed = true;
        Entry e = ENTRIES.get(uri);
        if (e != null) e.leases--;
      }
    }
  }

  public static Lease acquire(BankHandle handle, Storage storage, File root, long limitBytes) {
    synchronized (BankCache.class) {
      Entry e = ENTRIES.get(handle.uri());
      if (e != null && Files.isDirectory(e.folder)) {
        e.leases++;
        return new Lease(handle.uri(), e.folder);
      }
    }
    Path folder = materialise(handle, storage, root.toPath());
    synchronized (BankCache.class) {
      Entry e =
          ENTRIES.computeIfAbsent(
              handle.uri(),
              k -> {
                totalBytes += handle.bytes();
                return new Entry(folder, handle.bytes());
              });
      e.leases++;
      evict(limitBytes);
      return new Lease(handle.uri(), e.folder);
    }
  }

  private static void evict(long limitBytes) {
    for (Iterator<Map.Entry<String, Entry>> it = ENTRIES.entrySet().iterator();
        it.hasNext() && totalBytes > limitBytes; ) {
      Entry e = it.next().getValue();
      if (e.leases > 0) continue;
      it.remove();
      totalBytes -= e.bytes;
      try {
        KvBankFiles.deleteTree(e.folder);
      } catch (IOException ignored) {
        // a leftover folder only costs disk space
      }
    }
  }

  private static Path materialise(BankHandle handle, Storage storage, Path root) {
    try {
      // named by the manifest too, so a bank rebuilt at the same URI never reuses an old copy
      String manifest =
          handle.isInline()
              ? new String(handle.inline().get("manifest.json"), StandardCharsets.UTF_8)
              : storage.readString(Storage.join(handle.uri(), "manifest.json"));
      String name = hash(handle.uri() + "\n" + manifest);
      Path target = root.resolve(name);
      if (Files.isRegularFile(target.resolve("manifest.json"))) return target;
      return copy(handle, storage, root, target, name);
    } catch (IOException e) {
      throw new CorruptBankException(
          handle.uri() + ": K/V bank missing or unreadable (" + e.getMessage() + ")");
    }
  }

  private static Path copy(
      BankHandle handle, Storage storage, Path root, Path target, String name) {
    Path tmp = root.resolve(name + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      if (handle.isInline()) {
        for (Map.Entry<String, byte[]> f : handle.inline().entrySet())
          Files.write(tmp.resolve(f.getKey()), f.getValue());
      } else {
        String manifest = Storage.join(handle.uri(), "manifest.json");
        if (!storage.exists(manifest))
          throw new CorruptBankException(handle.uri() + ": K/V bank missing (no manifest.json)");
        for (String uri : storage.list(Storage.join(handle.uri(), "*"))) {
          // qualified: java.nio.file.Path is the one imported
          org.apache.hadoop.fs.Path p = storage.path(uri);
          try (InputStream in = storage.fs(p).open(p)) {
            Files.copy(in, tmp.resolve(Storage.fileName(uri)));
          }
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        if (!Files.isDirectory(target))
          throw e; // else another task of this JVM or host finished first
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          handle.uri() + ": cannot copy the K/V bank to " + root + ": " + e.getMessage(), e);
    } finally {
      try {
        if (Files.exists(tmp)) KvBankFiles.deleteTree(tmp);
      } catch (IOException ignored) {
        // leftover temp folder
      }
    }
  }

  private static String hash(String uri) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8)),
              0,
              12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
