package dev.viaspark.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.storage.RemoteTestFileSystem;
import dev.viaspark.storage.Storage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders on a remote file system (here a local disk seen through another URI scheme) are
 * cached locally.
 */
class ModelFoldersTest {
  @TempDir Path cache;

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
    Path local = ModelFolders.local(uri, RemoteTestFileSystem.storage(), cache.toFile());
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
        ModelFolders.local(uri, RemoteTestFileSystem.storage(), cache.toFile()),
        "second use reads the cache");
    assertEquals(modified, Files.getLastModifiedTime(local.resolve("unet/config.json")).toMillis());
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(1, s.count(), "no temporary copy is left behind");
    }
  }

  @Test
  void weightsReplacedAtTheSameUriAreCopiedAgain() throws Exception {
    Path model = cache.resolve("remote-model");
    Path source = TestVectors.checkpoint();
    for (String f : files(source)) {
      Files.createDirectories(model.resolve(f).getParent());
      Files.copy(source.resolve(f), model.resolve(f));
    }
    Path cacheRoot = cache.resolve("cache");
    String uri = "remotetest://" + model.toAbsolutePath();
    Storage storage = RemoteTestFileSystem.storage();
    String before = ModelFolders.fingerprint(uri, storage);
    Path first = ModelFolders.local(uri, storage, cacheRoot.toFile());
    assertEquals(before, ModelFolders.fingerprint(uri, storage), "the same folder, the same print");

    Path weights = model.resolve("unet/diffusion_pytorch_model.safetensors");
    byte[] changed = Files.readAllBytes(weights);
    changed[changed.length - 1] ^= 1;
    Files.write(weights, changed);
    Files.setLastModifiedTime(
        weights, FileTime.fromMillis(Files.getLastModifiedTime(weights).toMillis() + 60_000));
    assertNotEquals(before, ModelFolders.fingerprint(uri, storage));
    Path second = ModelFolders.local(uri, storage, cacheRoot.toFile());
    assertNotEquals(first, second, "a new version gets its own copy");
    assertArrayEquals(
        changed, Files.readAllBytes(second.resolve("unet/diffusion_pytorch_model.safetensors")));
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
