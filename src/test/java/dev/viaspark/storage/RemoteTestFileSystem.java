package dev.viaspark.storage;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code remotetest:}, standing in for HDFS or S3 in tests:
 * {@link Storage} treats it as remote.
 */
public final class RemoteTestFileSystem extends RawLocalFileSystem {
  /** Files opened for reading so far, in this JVM. */
  public static final AtomicInteger OPENS = new AtomicInteger();

  @Override
  public URI getUri() {
    return URI.create("remotetest:///");
  }

  @Override
  public String getScheme() {
    return "remotetest";
  }

  // Hadoop's local status reads permissions through file: URIs; a plain status is all the copy
  // needs
  @Override
  public FileStatus getFileStatus(Path p) throws IOException {
    File f = pathToFile(p);
    if (!f.exists()) throw new FileNotFoundException(p.toString());
    return new FileStatus(f.length(), f.isDirectory(), 1, 4096, f.lastModified(), makeQualified(p));
  }

  @Override
  public FileStatus[] listStatus(Path p) throws IOException {
    File f = pathToFile(p);
    if (!f.isDirectory()) return new FileStatus[] {getFileStatus(p)};
    File[] children = f.listFiles();
    FileStatus[] out = new FileStatus[children.length];
    for (int i = 0; i < children.length; i++)
      out[i] = getFileStatus(new Path(p, children[i].getName()));
    return out;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    OPENS.incrementAndGet();
    return super.open(f, bufferSize);
  }

  /** Storage that reads {@code remotetest:} URIs through this file system. */
  public static Storage storage() {
    return new Storage(
        Map.of(
            "fs.remotetest.impl",
            RemoteTestFileSystem.class.getName(),
            "fs.remotetest.impl.disable.cache",
            "true"));
  }
}
