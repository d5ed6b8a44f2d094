package dev.viaspark.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.viaspark.job.stages.VideoTask;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.OutputContainer;
import org.junit.jupiter.api.Test;

/** Where edited videos go, without Spark. */
class OutputNamesTest {
  private static final Storage STORAGE = Storage.local();
  private static final OutputContainer MP4 = new OutputContainer("mp4", "mp4");
  private static final OutputContainer MKV = new OutputContainer("mkv", "matroska");

  private static VideoTask task(String input, String output) {
    return new VideoTask(0, input, output, "make it red", null, null);
  }

  @Test
  void theInputsNameWithTheContainersExtension() {
    assertEquals(
        "file:/out/clip.mp4",
        OutputNames.uri(task("file:/data/in/clip.mov", null), "file:/out", MP4, STORAGE));
    assertEquals(
        "file:/out/clip.mkv",
        OutputNames.uri(task("file:/data/in/clip.mp4", " "), "file:/out", MKV, STORAGE));
  }

  @Test
  void aManifestOutputIsUnderTheOutputFolderUnlessAbsolute() {
    assertEquals(
        "file:/out/winter/clip.mkv",
        OutputNames.uri(task("file:/in/a.mp4", "winter/clip.avi"), "file:/out", MKV, STORAGE));
    assertEquals(
        STORAGE.path("/elsewhere/clip.mp4").toString(),
        OutputNames.uri(task("file:/in/a.mp4", "/elsewhere/clip"), "file:/out", MP4, STORAGE));
    assertEquals(
        "s3a://bucket/x/clip.mp4",
        OutputNames.uri(
            task("file:/in/a.mp4", "s3a://bucket/x/clip.mov"), "file:/out", MP4, STORAGE));
  }

  @Test
  void theExtensionIsReplacedOrAdded() {
    assertEquals("clip.mp4", OutputNames.withExtension("clip.mov", "mp4"));
    assertEquals("clip.mp4", OutputNames.withExtension("clip", "mp4"));
    assertEquals("archive.tar.mkv", OutputNames.withExtension("archive.tar.gz", "mkv"));
    assertEquals(".hidden.mp4", OutputNames.withExtension(".hidden", "mp4"));
    assertEquals("v1.2/clip.mp4", OutputNames.withExtension("v1.2/clip", "mp4"));
  }
}
