package dev.viaspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.OutputCodec;
import java.io.File;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLayersTest {
  @TempDir File dir;

  @Test
  void defaultsComeFromReferenceConf() {
    ViasparkSettings s = new ConfigLayers().resolve();
    assertEquals(100, s.segmentFrames);
    assertEquals(OutputCodec.H264, s.encoder.codec());
    assertEquals(ViasparkSettings.SeedMode.SHARED, s.seedMode);
    assertEquals(42, s.seed);
  }

  @Test
  void setBeatsRowOverrideBeatsFileBeatsReference() throws Exception {
    File f = new File(dir, "a.conf");
    Files.writeString(
        f.toPath(),
        "video.segment-frames = 30\nedit.steps = 5\nseed = 7\nspark { master = \"local[3]\" }\n");
    ConfigLayers layers =
        new ConfigLayers()
            .file(f)
            .overrides(Map.of("edit.steps", "6", "output.codec", "ffv1"))
            .set("edit.steps=8");
    ViasparkSettings s = layers.resolve();
    assertEquals(30, s.segmentFrames);
    assertEquals(8, s.steps);
    assertEquals(7, s.seed);
    assertEquals(OutputCodec.FFV1, s.encoder.codec());
    assertEquals("local[3]", layers.sparkProperties().get("spark.master"));
  }

  @Test
  void prefixedKeysAndSparkPropertiesAreAccepted() {
    ConfigLayers l =
        new ConfigLayers()
            .set("viaspark.seed.mode=per-frame")
            .set("spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000");
    assertEquals(ViasparkSettings.SeedMode.PER_FRAME, l.resolve().seedMode);
    assertEquals(ViasparkSettings.SeedGenerator.VIASPARK, l.resolve().seedGenerator);
    assertEquals("http://127.0.0.1:9000", l.sparkProperties().get("spark.hadoop.fs.s3a.endpoint"));
  }

  @Test
  void everyProblemIsReportedOnceWithItsKey() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                new ConfigLayers()
                    .set("edit.stpes=3")
                    .set("video.segment-frames=0")
                    .set("output.codec=foo")
                    .set("seed.mode=sometimes")
                    .resolve());
    String m = e.getMessage();
    assertTrue(m.contains("unknown key 'edit.stpes' (did you mean edit.steps?)"), m);
    assertTrue(m.contains("video.segment-frames = 0"), m);
    assertEquals(4, e.problems().size(), m);
    SettingsException e2 =
        assertThrows(
            SettingsException.class,
            () ->
                new ConfigLayers()
                    .set("video.segment-frames=0")
                    .set("output.codec=foo")
                    .set("seed.mode=sometimes")
                    .set("seed.generator=numpy")
                    .set("edit.steps=many")
                    .resolve());
    String m2 = e2.getMessage();
    assertTrue(m2.contains("video.segment-frames = 0: must be in [1, 1000000]"), m2);
    assertTrue(m2.contains("output.codec: unknown codec 'foo'"), m2);
    assertTrue(m2.contains("seed.mode = sometimes: must be shared or per-frame"), m2);
    assertTrue(m2.contains("seed.generator = numpy: must be viaspark or torch"), m2);
    assertTrue(m2.contains("edit.steps"), m2);
    assertEquals(5, e2.problems().size(), m2);
  }

  @Test
  void badFileIsNamed() throws Exception {
    File f = new File(dir, "bad.conf");
    Files.writeString(f.toPath(), "edit { steps = \n");
    SettingsException e =
        assertThrows(SettingsException.class, () -> new ConfigLayers().file(f).resolve());
    assertTrue(e.getMessage().contains(f.getPath()), e.getMessage());
    SettingsException missing =
        assertThrows(
            SettingsException.class,
            () -> new ConfigLayers().file(new File(dir, "nope.conf")).resolve());
    assertTrue(missing.getMessage().contains("nope.conf: no such file"), missing.getMessage());
  }

  @Test
  void unknownEditorIsAConfigError() {
    SettingsException e =
        assertThrows(
            SettingsException.class, () -> new ConfigLayers().set("edit.editor=magic").resolve());
    assertTrue(e.getMessage().contains("unknown editor 'magic'"), e.getMessage());
    assertTrue(e.getMessage().contains("identity"), e.getMessage());
  }

  @Test
  void hashChangesWithOutputSettingsButNotWithJobSettings() {
    String base = new ConfigLayers().resolve().hash();
    assertEquals(
        base,
        new ConfigLayers()
            .set("job.fail-fast=true")
            .set("output.overwrite=true")
            .set("resources.gpu-stages=auto")
            .set("resources.task-gpus=0.5")
            .resolve()
            .hash());
    assertTrue(!base.equals(new ConfigLayers().set("output.codec=mpeg4").resolve().hash()));
  }

  @Test
  void aGuideNeedsTheDiffusionEditorAndNoMask() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                new ConfigLayers()
                    .set("edit.editor=identity")
                    .set("edit.guide=guides/{name}")
                    .set("edit.mask=masks/{name}.png")
                    .resolve());
    String m = e.getMessage();
    assertTrue(m.contains("edit.guide = guides/{name} needs a diffusion editor"), m);
    assertTrue(m.contains("edit.guide and edit.mask together are not supported yet"), m);
    ViasparkSettings s =
        new ConfigLayers()
            .set("edit.editor=ip2p")
            .set("model.path=s3a://b/model")
            .set("edit.guide=s3a://b/guides/{name}")
            .resolve();
    assertTrue(s.usesBank(), "a guide is edited through a bank, without via.enabled");
    assertEquals("s3a://b/guides/clip", s.guideFor("s3a://in/clip.mp4"));
  }

  @Test
  void testTimeAdaptationNeedsViaAndACandidateItHas() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                new ConfigLayers()
                    .set("edit.editor=ip2p")
                    .set("via.tta.enabled=true")
                    .set("via.tta.candidates=2")
                    .set("via.tta.root-candidate=2")
                    .resolve());
    String m = e.getMessage();
    assertTrue(m.contains("via.tta.enabled = true needs via.enabled = true"), m);
    assertTrue(m.contains("via.tta.root-candidate = 2 names no candidate"), m);
    ViasparkSettings s =
        new ConfigLayers()
            .set("edit.editor=ip2p")
            .set("model.path=s3a://b/model")
            .set("via.enabled=true")
            .set("via.tta.enabled=true")
            .resolve();
    assertTrue(s.ttaEnabled);
    assertEquals(-1, s.ttaRootCandidate, "chosen by consensus unless named");
  }
}
