package dev.viaspark.tests;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * Local files under the scheme {@code faulty:}, with failures injected by file name: a read that
 * fails on open, a write that fails after its first kilobyte, each for a number of tries, the way a
 * flaky object store fails. Register with {@code fs.faulty.impl} (in Spark: {@code
 * spark.hadoop.fs.faulty.impl}); executors of a local Spark share the faults with the test.
 */
public class FaultyFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "faulty";
  static final int FOREVER = Integer.MAX_VALUE;
  private static final Map<String, Integer> READS = new ConcurrentHashMap<>();
  private static final Map<String, Integer> WRITES = new ConcurrentHashMap<>();
  private static final Map<String, Integer> FULL = new ConcurrentHashMap<>();

  /** The next {@code times} opens of files whose name contains {@code name} fail. */
  static void failReads(String name, int times) {
    READS.put(name, times);
  }

  /** The next {@code times} writes of files whose name contains {@code name} fail part way. */
  static void failWrites(String name, int times) {
    WRITES.put(name, times);
  }

  /**
   * The next {@code times} writes of files whose name contains {@code name} fail part way as on a
   * full disk, with the operating system's message.
   */
  static void fillDisk(String name, int times) {
    FULL.put(name, times);
  }

  static void reset() {
    READS.clear();
    WRITES.clear();
    FULL.clear();
  }

  /** {@code faulty:} URI of a local file. */
  static String uri(File f) {
    return SCHEME + ":" + f.getAbsoluteFile().toURI().getPath();
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    if (take(READS, f)) throw new IOException("injected fault reading " + f);
    return super.open(f, bufferSize);
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    return faulty(
        f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    return faulty(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
  }

  /**
   * {@code out}, or a stream over it that fails part way when a write fault is due for {@code f}.
   */
  private static FSDataOutputStream faulty(Path f, FSDataOutputStream out) {
    if (take(FULL, f))
      return new FSDataOutputStream(
          new FailingAfterFirstKilobyte(out, f + ": No space left on device"), null);
    if (!take(WRITES, f)) return out;
    return new FSDataOutputStream(
        new FailingAfterFirstKilobyte(out, "injected fault writing " + f), null);
  }

  private static boolean take(Map<String, Integer> faults, Path f) {
    for (Map.Entry<String, Integer> e : faults.entrySet()) {
      if (f.getName().contains(e.getKey()) && e.getValue() > 0) {
        if (e.getValue() != FOREVER) e.setValue(e.getValue() - 1);
        return true;
      }
    }
    return false;
  }

  private static final class FailingAfterFirstKilobyte extends OutputStream {
    private final OutputStream out;
    private final String error;
    private long written;

    FailingAfterFirstKilobyte(OutputStream out, String error) {
      this.out = out;
      this.error = error;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int allowed = (int) Math.max(0, Math.min(len, 1024 - written));
      out.write(b, off, allowed);
      written += allowed;
      if (allowed < len) throw new IOException(error);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
