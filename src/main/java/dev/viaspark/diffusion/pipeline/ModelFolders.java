package dev.viaspark.diffusion.pipeline;

import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A model folder on local disk: local paths are used in place; HDFS or S3 folders are copied once
 * per machine into a cache folder (named by a hash of the URI, completed by an atomic rename, so
 * concurrent executors on one host never see a half-copied model) and memory-mapped from there.
 */
public final class ModelFolders {
  private ModelFolders() {}

  // qualified: Hadoop's Path is the one imported
  public static java.nio.file.Path local(String uri, Storage storage, File cacheRoot) {
    Path p = storage.path(uri);
    if (Storage.isLocal(p)) {
      // qualified: Hadoop's Path is the one imported
      java.nio.file.Path local = new File(p.toUri()).toPath();
      if (!Files.isDirectory(local))
        throw new IllegalArgumentException("model.path " + uri + ": no such folder");
      return local;
    }
    // qualified: Hadoop's Path is the one imported
    java.nio.file.Path target = cacheRoot.toPath().resolve(hash(uri));
    if (Files.isDirectory(target)) return target;
    // qualified: Hadoop's Path is the one imported
    java.nio.file.Path tmp = cacheRoot.toPath().resolve(hash(uri) + ".tmp-" + UUID.randomUUID());
    try {
      FileSystem fs = storage.fs(p);
      if (!fs.getFileStatus(p).isDirectory())
        throw new IllegalArgumentException("model.path " + uri + " is not a folder");
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(p, true);
      String root = fs.makeQualified(p).toUri().getPath();
      while (files.hasNext()) {
        LocatedFileStatus f = files.next();
        String relative =
            f.getPath().toUri().getPath().substring(root.length()).replaceFirst("^/", "");
        // qualified: Hadoop's Path is the one imported
        java.nio.file.Path dest = tmp.resolve(relative);
        Files.createDirectories(dest.getParent());
        try (InputStream in = fs.open(f.getPath())) {
          Files.copy(in, dest);
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        if (!Files.isDirectory(target))
          throw e; // else another executor finished first: use its copy
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "model.path " + uri + ": cannot copy to " + cacheRoot + ": " + e.getMessage(), e);
    } finally {
      TempFolder.deleteTree(tmp.toFile());
    }
  }

  private static String hash(String uri) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
