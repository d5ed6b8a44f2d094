package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.SyntheticVideo;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gather-and-swap as a Spark job on the tiny checkpoint: stage 1 per video, bank broadcast or read,
 * stage 2.
 */
class ViaJobTest extends LocalSparkTest {
  @TempDir File dir;
  File input;

  @BeforeEach
  void video() {
    File in = new File(dir, "in");
    in.mkdirs();
    input =
        new SyntheticVideo()
            .size(48, 32)
            .fps(25, 1)
            .frames(12)
            .gop(4)
            .audio(false)
            .write(new File(in, "clip.mp4"));
  }

  private ReportRow run(File out, String... extra) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "edit.editor=ip2p",
                "model.path=" + DiffusionEditTest.MODEL,
                "edit.steps=3",
                "via.enabled=true",
                "via.anchors=3",
                "via.swap-steps=2",
                "output.codec=ffv1"));
    sets.addAll(List.of(extra));
    JobSummary s = edit(input.getPath(), out, "make it snowy", sets);
    assertEquals(0, s.exitCode(), describe(s));
    return s.rows().get(0);
  }

  static File output(ReportRow row) {
    return new File(URI.create(row.getOutput()));
  }

  @Test
  void framesDoNotDependOnSegmentationOrOnHowTheBankTravels() throws Exception {
    ReportRow one = run(new File(dir, "one"), "video.segment-frames=100");
    assertEquals(1, one.getSegments());
    assertTrue(one.getBankBytes() > 0, "bank size reported");
    assertTrue(one.getSecondsGather() > 0, "gather time reported");
    ReportRow many = run(new File(dir, "many"), "video.segment-frames=4");
    assertEquals(3, many.getSegments());
    Media.assertSamePixels(output(one), output(many));
    ReportRow fromWorkDir =
        run(new File(dir, "workdir"), "video.segment-frames=4", "via.inline-bank-bytes=1");
    Media.assertSamePixels(output(one), output(fromWorkDir));
    try (Stream<Path> previews =
        Files.list(new File(dir, "one/anchors/" + output(one).getName()).toPath())) {
      assertEquals(
          List.of("anchor-000000.png", "anchor-000006.png", "anchor-000011.png"),
          previews.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /**
   * Test-time adaptation: stage 1 tunes adapters into the bank (checksummed with it); they change
   * the edit, and frames still do not depend on segmentation or on how the bank travels.
   */
  @Test
  void adaptedEditsCarryTheirAdapterInTheBankAndStayIndependentOfSegmentation() throws Exception {
    String[] tta = {"via.tta.enabled=true", "via.tta.steps=3", "via.tta.candidates=2"};
    ReportRow one = run(new File(dir, "one"), concat(tta, "video.segment-frames=100"));
    ReportRow many =
        run(
            new File(dir, "many"),
            concat(concat(tta, "video.segment-frames=4"), "via.inline-bank-bytes=1"));
    assertEquals(3, many.getSegments());
    // stage 1 on its own first: same inputs, same adapter and K/V bits, however the video is cut
    assertEquals(bankDigests(new File(dir, "one")), bankDigests(new File(dir, "many")));
    Media.assertSamePixels(output(one), output(many));
    ReportRow plain = run(new File(dir, "plain"), "video.segment-frames=100");
    assertTrue(
        Media.meanAbsDiff(Media.firstFrame(output(one)), Media.firstFrame(output(plain))) > 0.1,
        "the adapter changes the frames");
    assertBankLists(new File(dir, "many"), "adapter.safetensors");
    // the root candidates are there to look at, the kept one named, the adaptation's time its own
    for (int c = 0; c < 2; c++) {
      assertTrue(
          Files.isRegularFile(
              new File(dir, "one/anchors/" + output(one).getName() + "/tta-candidate-" + c + ".png")
                  .toPath()),
          "candidate " + c);
    }
    assertNotNull(one.getTtaRootCandidate());
    assertTrue(one.getSecondsTta() > 0 && one.getSecondsTta() < one.getSecondsGather());
    assertNull(plain.getTtaRootCandidate());
    assertEquals(0, plain.getSecondsTta());
  }

  @Test
  void withTorchsGeneratorFramesDoNotDependOnSegmentationEither() {
    String[] torch = {"seed.generator=torch", "seed.mode=per-frame"};
    ReportRow one = run(new File(dir, "one"), concat(torch, "video.segment-frames=100"));
    ReportRow many = run(new File(dir, "many"), concat(torch, "video.segment-frames=4"));
    assertEquals(3, many.getSegments());
    Media.assertSamePixels(output(one), output(many));
    ReportRow ours = run(new File(dir, "ours"), "seed.mode=per-frame");
    assertTrue(
        Media.meanAbsDiff(Media.firstFrame(output(one)), Media.firstFrame(output(ours))) > 0.1,
        "the generator setting reaches the noise");
  }

  /** The manifest of the one bank under a run's output folder. */
  static Path bankManifest(File run) throws Exception {
    try (Stream<Path> files = Files.walk(new File(run, "_viaspark_work").toPath())) {
      List<Path> manifests =
          files.filter(p -> p.getFileName().toString().equals("manifest.json")).toList();
      assertEquals(1, manifests.size(), manifests.toString());
      return manifests.get(0);
    }
  }

  /**
   * Asserts that the one bank under a run's output folder lists each of {@code names} in its
   * manifest (with its checksum) and holds the file.
   */
  static void assertBankLists(File run, String... names) throws Exception {
    Path manifest = bankManifest(run);
    String listed = Files.readString(manifest);
    for (String name : names) {
      assertTrue(listed.contains('"' + name + '"'), name + " in " + listed);
      assertTrue(Files.isRegularFile(manifest.resolveSibling(name)), name);
    }
  }

  /** The SHA-256 of each file of the run's one bank, by name. */
  private static Map<String, String> bankDigests(File run) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(new File(run, "_viaspark_work").toPath())) {
      for (Path f :
          files.filter(p -> p.getParent().getFileName().toString().equals("bank")).toList()) {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        digests.put(f.getFileName().toString(), HexFormat.of().formatHex(sha));
      }
    }
    assertTrue(digests.containsKey("adapter.safetensors"), digests.toString());
    return digests;
  }

  private static String[] concat(String[] a, String b) {
    String[] all = Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  @Test
  void swappingChangesTheEditAgainstIndependentFrames() {
    ReportRow via = run(new File(dir, "via"));
    ReportRow plain = run(new File(dir, "plain"), "via.enabled=false");
    assertTrue(
        Media.meanAbsDiff(Media.firstFrame(output(via)), Media.firstFrame(output(plain))) > 0.1,
        "the bank's K/V change the frames");
  }

  @Test
  void aCorruptBankInTheWorkDirIsRebuilt() throws Exception {
    File out = new File(dir, "out");
    ReportRow first = run(out, "job.keep-segments=true");
    Path bank;
    try (Stream<Path> s = Files.walk(new File(out, "_viaspark_work").toPath())) {
      bank =
          s.filter(p -> p.getFileName().toString().equals("step-001.safetensors"))
              .findFirst()
              .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(bank);
    bytes[bytes.length - 2] ^= 0x10;
    Files.write(bank, bytes);
    Files.delete(output(first).toPath());
    ReportRow again = run(out, "job.keep-segments=true", "output.overwrite=false");
    assertEquals("ok", again.getStatus());
    Media.assertSamePixels(output(first), output(again));
  }

  @Test
  void viaNeedsTheDiffusionEditor() {
    JobSummary s = null;
    try {
      s =
          edit(
              input.getPath(),
              new File(dir, "x"),
              "make it snowy",
              List.of("edit.editor=identity", "via.enabled=true"));
    } catch (RuntimeException e) {
      Media.assertContains(e.getMessage(), "via.enabled", "ip2p");
      return;
    }
    throw new AssertionError("via with the identity editor was accepted: " + describe(s));
  }
}
