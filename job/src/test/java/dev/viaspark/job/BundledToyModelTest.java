package dev.viaspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledToyModelTest {
  @TempDir Path demo;

  @Test
  void unpacksIntoAFolderNamedAfterTheModelAndReusesIt() throws IOException {
    // a demo folder from an earlier release, with its model: the new model must not be taken for it
    Files.createDirectories(demo.resolve("model"));
    Files.writeString(demo.resolve("model/train.json"), "{\"seed\": 2}");

    Path model = BundledToyModel.unpack(demo);
    assertEquals(demo.resolve("model-" + BundledToyModel.id()), model);
    assertTrue(BundledToyModel.id().matches("[0-9a-f]{12}"), BundledToyModel.id());
    for (String f : BundledToyModel.FILES)
      assertTrue(Files.size(model.resolve(f)) > 0, f + " unpacked");
    assertTrue(Files.notExists(demo.resolve(model.getFileName() + ".partial")));

    long written = Files.getLastModifiedTime(model.resolve("unet/config.json")).toMillis();
    Files.setLastModifiedTime(model.resolve("unet/config.json"), FileTime.fromMillis(1000));
    assertEquals(model, BundledToyModel.unpack(demo), "a second demo run finds it");
    assertEquals(
        1000,
        Files.getLastModifiedTime(model.resolve("unet/config.json")).toMillis(),
        "and does not write it again (first written at " + written + ")");
  }
}
