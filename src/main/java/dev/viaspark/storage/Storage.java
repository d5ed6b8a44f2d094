package dev.viaspark.storage;

import dev.viaspark.cli.UsageException;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.security.AccessControlException;

/**
 * Files by URI through Hadoop's FileSystem (file:, hdfs:, s3a:, ...), with what the pipeline needs
 * on top: a local copy to hand to FFmpeg, and publishing a finished local file so that the
 * destination never holds a partial one (write to a temporary name and rename where renames are
 * atomic; on object stores the object appears only when its upload completes). Reads and writes are
 * tried again after a failure, a few times, and a failed write leaves nothing at its destination.
 */
public final class Storage implements Serializable {
  /** Tries of each read or write before it fails (on top of the file system's own retries). */
  static final int ATTEMPTS = 3;

  static final long FIRST_BACKOFF_MS = 500;

  private final Map<String, String> hadoopProperties;
  private transient volatile Configuration conf;

  /**
   * @param hadoopProperties Hadoop settings (e.g. fs.s3a.endpoint), without Spark's "spark.hadoop."
   *     prefix
   */
  public Storage(Map<String, String> hadoopProperties) {
    this.hadoopProperties = Map.copyOf(hadoopProperties);
  }

  /** With the {@code spark.hadoop.*} entries of Spark properties, as Spark hands them to Hadoop. */
  public static Storage fromSparkProperties(Map<String, String> sparkProperties) {
    Map<String, String> hadoop = new HashMap<>();
    sparkProperties.forEach(
        (k, v) -> {
          if (k.startsWith("spark.hadoop.")) hadoop.put(k.substring("spark.hadoop.".length()), v);
        });
    return new Storage(hadoop);
  }

  public static Storage local() {
    return new Storage(Map.of());
  }

  // tasks of one executor share a Storage: the configuration is published only once complete, else
  // a second thread may see it before its file system settings are in
  private Configuration conf() {
    Configuration c = conf;
    if (c == null) {
      c = new Configuration();
      hadoopProperties.forEach(c::set);
      conf = c;
    }
    return c;
  }

  /** A path or URI as Hadoop sees it; plain paths are local files. */
  public Path path(String uri) {
    Path p = new Path(uri);
    return p.toUri().getScheme() == null ? new Path(new File(uri).getAbsoluteFile().toURI()) : p;
  }

  public FileSystem fs(Path p) {
    try {
      return p.getFileSystem(conf());
    } catch (UnsupportedFileSystemException e) {
      throw new UsageException(noFileSystem(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + p + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // a scheme Hadoop knows (s3a, gs, abfs) whose connector class is not on the classpath
      if (e.getCause() instanceof ClassNotFoundException) throw new UsageException(noFileSystem(p));
      throw e;
    }
  }

  /** One line naming the missing file system and how to add it. */
  static String noFileSystem(Path p) {
    String scheme = p.toUri().getScheme();
    String fix =
        "s3a".equals(scheme)
            ? "hadoop-aws and the AWS SDK bundle: job/viaspark puts them on its classpath; with"
                + " spark-submit add --packages org.apache.hadoop:hadoop-aws:<Hadoop version>"
                + " (deploy/spark-submit.sh does)"
            : "its connector's jars: VIASPARK_CLASSPATH for job/viaspark, --jars or --packages for"
                + " spark-submit";
    return p + ": no file system for scheme '" + scheme + "' on the classpath (add " + fix + ")";
  }

  public static boolean isLocal(Path p) {
    return "file".equals(p.toUri().getScheme());
  }

  public boolean exists(String uri) {
    Path p = path(uri);
    try {
      return fs(p).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(uri + ": " + e.getMessage(), e);
    }
  }

  public FileStatus status(String uri) throws IOException {
    Path p = path(uri);
    return fs(p).getFileStatus(p);
  }

  /** Files matching a glob, or inside a folder (not recursive), sorted by path. */
  public List<String> list(String uriOrGlob) throws IOException {
    List<String> out = new ArrayList<>();
    for (FileStatus s : listStatus(uriOrGlob)) out.add(s.getPath().toString());
    return out;
  }

  /** As {@link #list}, with each file's status (size, modification time) from the same listing. */
  public List<FileStatus> listStatus(String uriOrGlob) throws IOException {
    Path p = path(uriOrGlob);
    FileSystem fs = fs(p);
    List<FileStatus> out = new ArrayList<>();
    FileStatus[] matches = fs.globStatus(p);
    if (matches == null) return out;
    for (FileStatus s : matches) {
      if (s.isDirectory() && matches.length == 1 && !uriOrGlob.matches(".*[*?\\[{].*")) {
        for (FileStatus c : fs.listStatus(s.getPath())) {
          String name = c.getPath().getName();
          if (c.isFile() && !name.startsWith(".") && !name.startsWith("_")) out.add(c);
        }
      } else if (s.isFile()) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparing(st -> st.getPath().toString()));
    return out;
  }

  /**
   * A local file with the content of {@code uri}: the file itself when it is local, else a copy in
   * {@code tmpDir} (which the caller deletes).
   */
  public File localCopy(String uri, File tmpDir) throws IOException {
    Path p = path(uri);
    if (isLocal(p)) return new File(p.toUri());
    File local = new File(tmpDir, UUID.randomUUID() + "-" + p.getName());
    retrying(
        "cannot read " + uri,
        () -> {
          try (InputStream in = fs(p).open(p)) {
            Files.copy(in, local.toPath(), StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException e) {
            Files.deleteIfExists(local.toPath());
            throw e;
          }
        });
    return local;
  }

  /**
   * Moves a finished local file to {@code uri} so that {@code uri} never exists in a partial state.
   */
  public void publish(File local, String uri) throws IOException {
    retrying("cannot write " + uri, () -> publishOnce(local, uri));
  }

  private void publishOnce(File local, String uri) throws IOException {
    Path dest = path(uri);
    FileSystem fs = fs(dest);
    fs.mkdirs(dest.getParent());
    if (isLocal(dest)) {
      File target = new File(dest.toUri());
      File tmp =
          new File(
              target.getParentFile(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
      try {
        Files.copy(local.toPath(), tmp.toPath());
        Files.move(
            tmp.toPath(),
            target.toPath(),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp.toPath());
      }
      return;
    }
    boolean objectStore =
        dest.toUri().getScheme().startsWith("s3") || dest.toUri().getScheme().startsWith("gs");
    Path tmp =
        objectStore
            ? dest
            : new Path(dest.getParent(), "." + dest.getName() + "." + UUID.randomUUID() + ".tmp");
    // stream through create(): S3A's copyFromLocalFile fails on file: URIs in hadoop-aws 3.3.4
    FSDataOutputStream out = fs.create(tmp, true);
    try {
      Files.copy(local.toPath(), out);
    } catch (IOException | RuntimeException e) {
      discard(fs, out, tmp, e);
      throw e;
    }
    try {
      out.close();
      if (!objectStore) {
        if (fs.exists(dest)) fs.delete(dest, false);
        if (!fs.rename(tmp, dest)) throw new IOException("cannot rename " + tmp + " to " + dest);
      }
    } catch (IOException | RuntimeException e) {
      if (!objectStore) deleteQuietly(fs, tmp, e);
      throw e;
    }
  }

  /**
   * Drops an upload that failed half way: closing an object store's stream would publish the part
   * written so far, so it is aborted where the stream can abort, else closed and deleted.
   */
  private static void discard(FileSystem fs, FSDataOutputStream out, Path tmp, Exception cause) {
    try {
      if (out.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
        out.abort();
        return;
      }
      out.close();
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
    deleteQuietly(fs, tmp, cause);
  }

  private static void deleteQuietly(FileSystem fs, Path p, Exception cause) {
    try {
      fs.delete(p, false);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** An I/O action that may fail transiently (a network blip, an object store's throttling). */
  @FunctionalInterface
  interface IoAction {
    void run() throws IOException;
  }

  /**
   * Runs {@code action} up to {@link #ATTEMPTS} times, waiting {@link #FIRST_BACKOFF_MS} and then
   * four times longer between tries; the last failure is thrown, starting with {@code what}. A full
   * disk is not tried again.
   */
  static void retrying(String what, IoAction action) throws IOException {
    long wait = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        action.run();
        return;
      } catch (FileNotFoundException
          | NoSuchFileException
          | AccessDeniedException
          | AccessControlException e) {
        throw e; // trying again cannot help
      } catch (IOException e) {
        if (Errors.diskFull(e)) throw new IOException(what + ": no space left on device", e);
        if (attempt >= ATTEMPTS) {
          throw new IOException(what + " (" + ATTEMPTS + " attempts): " + e.getMessage(), e);
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException(what + ": interrupted while waiting to retry");
        }
        wait *= 4;
      }
    }
  }

  /** Writes small text (markers, reports) atomically. */
  public void writeString(String uri, String text, File tmpDir) throws IOException {
    File local = File.createTempFile("viaspark", ".txt", tmpDir);
    try {
      Files.writeString(local.toPath(), text);
      publish(local, uri);
    } finally {
      Files.deleteIfExists(local.toPath());
    }
  }

  public String readString(String uri) throws IOException {
    Path p = path(uri);
    String[] text = new String[1];
    retrying(
        "cannot read " + uri,
        () -> {
          try (InputStream in = fs(p).open(p)) {
            text[0] = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        });
    return text[0];
  }

  public void delete(String uri, boolean recursive) throws IOException {
    Path p = path(uri);
    fs(p).delete(p, recursive);
  }

  /** Joins a folder URI and a relative name. */
  public static String join(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  /** The file name at the end of a URI. */
  public static String fileName(String uri) {
    return new Path(uri).getName();
  }
}
