package dev.viaspark.storage;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Local copies of remote inputs (s3a, HDFS, ...) shared by the tasks of one JVM, bounded in bytes:
 * the segments of a video that an executor edits, and its probe, gather and assemble tasks when
 * they land there, download the video once instead of once each. A copy is keyed by the input's
 * URI, size and modification time, so a changed object is fetched again; tasks that want a copy
 * being downloaded wait for it; the least recently used copies no task holds are deleted when the
 * total passes the limit. Local inputs are used where they are. An input larger than the limit gets
 * a copy of its own, deleted when its lease closes.
 */
public final class InputCache {
  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(16, 0.75f, true);
  private static long totalBytes;
  private static File root;

  private InputCache() {}

  private static final class Entry {
    File file;
    long bytes;
    int leases;
    IOException failure;
  }

  /** A local file with an input's content, valid until closed. */
  public static final class Lease implements AutoCloseable {
    private final File file;
    private final Entry entry;
    private final TempFolder own;
    private boolean closed;

    private Lease(File file, Entry entry, TempFolder own) {
      this.file = file;
      this.entry = entry;
      this.own = own;
    }

    public File file() {
      return file;
    }

    @Override
    public void close() {
      if (own != null) own.close();
      synchronized (InputCache.class) {
        if (closed) return;
        closed = true;
        if (entry != null) entry.leases--;
      }
    }
  }

  /**
   * A local copy of {@code uri}, downloaded by this call or an earlier one of this JVM.
   *
   * @param limitBytes local disk the cached copies may use together; 0 turns the cache off
   */
  public static Lease acquire(Storage storage, String uri, long limitBytes) throws IOException {
    Path p = storage.path(uri);
    if (Storage.isLocal(p)) return new Lease(new File(p.toUri()), null, null);
    FileStatus status = storage.status(uri);
    if (status.getLen() > limitBytes) {
      TempFolder own = TempFolder.create("viaspark-input");
      try {
        return new Lease(storage.localCopy(uri, own.dir()), null, own);
      } catch (IOException | RuntimeException e) {
        own.close();
        throw e;
      }
    }
    String key = uri + "\n" + status.getLen() + "\n" + status.getModificationTime();
    Entry entry;
    boolean download;
    synchronized (InputCache.class) {
      entry = ENTRIES.get(key);
      if (entry != null && entry.file != null && !entry.file.isFile()) {
        ENTRIES.remove(key); // removed behind our back (a temp cleaner): fetch it again
        totalBytes -= entry.bytes;
        entry = null;
      }
      download = entry == null;
      if (download) {
        entry = new Entry();
        ENTRIES.put(key, entry);
      }
      entry.leases++;
    }
    if (download) return fetch(storage, uri, key, entry, limitBytes);
    synchronized (InputCache.class) {
      while (entry.file == null && entry.failure == null) {
        try {
          InputCache.class.wait();
        } catch (InterruptedException e) {
          entry.leases--;
          Thread.currentThread().interrupt();
          throw new InterruptedIOException(uri + ": interrupted waiting for its download");
        }
      }
      if (entry.failure != null) {
        entry.leases--;
        throw new IOException(entry.failure.getMessage(), entry.failure);
      }
      return new Lease(entry.file, entry, null);
    }
  }

  private static Lease fetch(Storage storage, String uri, String key, Entry entry, long limitBytes)
      throws IOException {
    File copy = null;
    IOException failure = null;
    try {
      copy = storage.localCopy(uri, folder());
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new IOException(e.getMessage(), e);
    }
    synchronized (InputCache.class) {
      if (failure != null) {
        entry.failure = failure;
        entry.leases--;
        ENTRIES.remove(key); // the next task tries again
        InputCache.class.notifyAll();
        throw failure;
      }
      entry.file = copy;
      entry.bytes = copy.length();
      totalBytes += entry.bytes;
      InputCache.class.notifyAll();
      evict(limitBytes);
      return new Lease(copy, entry, null);
    }
  }

  private static void evict(long limitBytes) {
    for (Iterator<Entry> it = ENTRIES.values().iterator();
        it.hasNext() && totalBytes > limitBytes; ) {
      Entry e = it.next();
      if (e.leases > 0 || e.file == null) continue;
      it.remove();
      totalBytes -= e.bytes;
      e.file.delete();
    }
  }

  /** This JVM's cache folder, deleted when the JVM exits. */
  private static synchronized File folder() throws IOException {
    if (root == null || !root.isDirectory()) {
      root = Files.createTempDirectory("viaspark-inputs").toFile();
      File dir = root;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> TempFolder.deleteTree(dir)));
    }
    return root;
  }

  /** Bytes of the copies held now (for tests). */
  static synchronized long cachedBytes() {
    return totalBytes;
  }
}
