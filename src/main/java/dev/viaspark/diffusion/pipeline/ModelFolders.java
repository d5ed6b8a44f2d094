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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A model folder on local disk: local paths are used in place; HDFS or S3 folders are copied once
 * per machine and version into a cache folder (named by a hash of the URI and the folder's {@link
 * #fingerprint}, completed by an atomic rename, so concurrent executors on one host never see a
 * half-copied model, and weights replaced at the same URI are copied again) and memory-mapped from
 * there.
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
    try {
      FileSystem fs = storage.fs(p);
      if (!fs.getFileStatus(p).isDirectory())
        throw new IllegalArgumentException("model.path " + uri + " is not a folder");
      List<LocatedFileStatus> files = files(fs, p);
      String name = hash(uri + "\n" + listing(fs, p, files));
      // qualified: Hadoop's Path is the one imported
      java.nio.file.Path target = cacheRoot.toPath().resolve(name);
      if (Files.isDirectory(target)) return target;
      copy(fs, p, files, target.toFile(), new File(cacheRoot, name + ".tmp-" + UUID.randomUUID()));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "model.path " + uri + ": cannot copy to " + cacheRoot + ": " + e.getMessage(), e);
    }
  }

  /**
   * A short hash of the folder's files as they are now (relative names, sizes, modification times,
   * listed recursively), so that a model replaced at the same path is told apart from the one
   * before it without reading its weights.
   *
   * @throws IOException when the folder cannot be listed
   */
  public static String fingerprint(String uri, Storage storage) throws IOException {
    Path p = storage.path(uri);
    FileSystem fs = storage.fs(p);
    return hash(listing(fs, p, files(fs, p)));
  }

  private static List<LocatedFileStatus> files(FileSystem fs, Path folder) throws IOException {
    List<LocatedFileStatus> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(folder, true);
    while (it.hasNext()) out.add(it.next());
    out.sort(Comparator.comparing(f -> f.getPath().toString()));
    return out;
  }

  private static String listing(FileSystem fs, Path folder, List<LocatedFileStatus> files) {
    StringBuilder b = new StringBuilder();
    for (LocatedFileStatus f : files) {
      b.append(relative(fs, folder, f)).append(' ').append(f.getLen()).append(' ');
      b.append(f.getModificationTime()).append('\n');
    }
    return b.toString();
  }

  private static String relative(FileSystem fs, Path folder, LocatedFileStatus f) {
    String root = fs.makeQualified(folder).toUri().getPath();
    return f.getPath().toUri().getPath().substring(root.length()).replaceFirst("^/", "");
  }

  private static void copy(
      FileSystem fs, Path folder, List<LocatedFileStatus> files, File target, File tmp)
      throws IOException {
    try {
      for (LocatedFileStatus f : files) {
        File dest = new File(tmp, relative(fs, folder, f));
        Files.createDirectories(dest.getParentFile().toPath());
        try (InputStream in = fs.open(f.getPath())) {
          Files.copy(in, dest.toPath());
        }
      }
      try {
        Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        if (!target.isDirectory()) throw e; // else another executor finished first: use its copy
      }
    } finally {
      TempFolder.deleteTree(tmp);
    }
  }

  private static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
