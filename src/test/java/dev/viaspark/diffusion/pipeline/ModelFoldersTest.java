package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.storage.Storage;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders on a remote file system (here a local disk seen through another URI scheme) are
 * cached locally.
 */
class ModelFoldersTest {
  @TempDir Path cache;

  /** The local file system under the scheme {@code remotetest:}, standing in for HDFS or S3. */
  public static final class RemoteTestFileSystem extends RawLocalFileSystem {
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
    // qualified: java.nio.file.Path is the one imported
    public FileStatus getFileStatus(org.apache.hadoop.fs.Path p) throws IOException {
      File f = pathToFile(p);
      if (!f.exists()) throw new FileNotFoundException(p.toString());
      return new FileStatus(
          f.length(), f.isDirectory(), 1, 4096, f.lastModified(), makeQualified(p));
    }

    @Override
    // qualified: java.nio.file.Path is the one imported
    public FileStatus[] listStatus(org.apache.hadoop.fs.Path p) throws IOException {
      File f = pathToFile(p);
      if (!f.isDirectory()) return new FileStatus[] {getFileStatus(p)};
      File[] children = f.listFiles();
      FileStatus[] out = new FileStatus[children.length];
      // qualified: java.nio.file.Path is the one imported
      for (int i = 0; i < children.length; i++)
        out[i] = getFileStatus(new org.apache.hadoop.fs.Path(p, children[i].getName()));
      return out;
    }
  }

  static Storage remoteStorage() {
    return new Storage(
        Map.of(
            "fs.remotetest.impl",
            RemoteTestFileSystem.class.getName(),
            "fs.remotetest.impl.disable.cache",
            "true"));
  }

  static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void aRemoteFolderIsCopiedOnceAndReused() throws Exception {
    Path model = TestVectors.checkpoint();
    String uri = "remotetest://" + model.toAbsolutePath();
    Path local = ModelFolders.local(uri, remoteStorage(), cache.toFile());
    assertNotEquals(model.toAbsolutePath(), local.toAbsolutePath());
    assertTrue(local.startsWith(cache));
    assertEquals(files(model), files(local));
    assertArrayEquals(
        Files.readAllBytes(model.resolve("unet/diffusion_pytorch_model.safetensors")),
        Files.readAllBytes(local.resolve("unet/diffusion_pytorch_model.safetensors")));
    long modified = Files.getLastModifiedTime(local.resolve("unet/config.json")).toMillis();
    Thread.sleep(20);
    assertEquals(
        local,
        ModelFolders.local(uri, remoteStorage(), cache.toFile()),
        "second use reads the cache");
    assertEquals(modified, Files.getLastModifiedTime(local.resolve("unet/config.json")).toMillis());
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(1, s.count(), "no temporary copy is left behind");
    }
  }

  @Test
  void localFoldersAreUsedInPlaceAndMissingOnesNamed() {
    Path model = TestVectors.checkpoint();
    assertEquals(
        model.toAbsolutePath(),
        ModelFolders.local(model.toString(), Storage.local(), cache.toFile()).toAbsolutePath());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelFolders.local(
                    new File(cache.toFile(), "absent").getPath(), Storage.local(), cache.toFile()));
    assertTrue(
        e.getMessage().contains("absent") && e.getMessage().contains("no such folder"),
        e.getMessage());
  }
}
