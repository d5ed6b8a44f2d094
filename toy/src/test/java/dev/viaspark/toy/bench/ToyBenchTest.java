package dev.viaspark.toy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.cli.UsageException;
import dev.viaspark.toy.ToyFamily;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.video.FrameGrid;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code bench toy}'s cases and the machine-readable lines scripts read from it. */
class ToyBenchTest {
  static final String MODEL = System.getProperty("viaspark.toymodel", "../models/toy-ip2p");
  static final Pattern FAMILY_LINE =
      Pattern.compile(
          "family=(\\w+) noise=(shared|per-frame) perframe_acc=[01]\\.\\d{3} "
              + "via_acc=[01]\\.\\d{3} perframe_warp=\\d+\\.\\d{3} via_warp=\\d+\\.\\d{3} target_warp=\\d+\\.\\d{3} "
              + "perframe_s=\\d+\\.\\d{3} via_s=\\d+\\.\\d{3}");

  @Test
  void casesCoverEveryFamilyWithInstructionsOfThatFamily() {
    List<ToyBench.Case> cases = ToyBench.cases(2, 6);
    assertEquals(2 * ToyFamily.values().length, cases.size());
    for (ToyFamily f : ToyFamily.values()) {
      assertEquals(2, cases.stream().filter(c -> c.instruction().family() == f).count(), f.word());
    }
    assertEquals(
        cases.size(),
        cases.stream().map(ToyBench.Case::seed).distinct().count(),
        "a video serves one family");
  }

  @Test
  void familiesNamesWhichFamiliesVideosAreEdited() throws Exception {
    assertEquals(
        EnumSet.of(ToyFamily.PATTERN, ToyFamily.SHAPE), ToyBench.families("pattern, Shape"));
    assertEquals(EnumSet.allOf(ToyFamily.class), ToyBench.families(null));
    UsageException e = assertThrows(UsageException.class, () -> ToyBench.families("stripes"));
    assertTrue(e.getMessage().contains("no family 'stripes' (families: shape,"), e.getMessage());

    List<String> lines =
        benchLines(
            "--videos 1 --frames 2 --families pattern"
                + " --set edit.steps=1 --set via.swap-steps=1 --set via.anchors=1");
    List<String> familyLines = lines.stream().filter(l -> l.startsWith("family=")).toList();
    assertEquals(2, familyLines.size(), String.join("\n", familyLines));
    for (String line : familyLines) assertTrue(line.startsWith("family=pattern "), line);
    // stripe videos also say how each way's bands move between frames
    for (String way : List.of("exact target", "Via, per-frame noise")) {
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.matches(
                          "stripes, "
                              + Pattern.quote(way)
                              + ": band colour moves by (\\d+\\.\\d|-) between consecutive frames, \\d+% of"
                              + " the background switches between band and gap")),
          String.join("\n", lines));
    }
  }

  @Test
  void framesOutDrawsEachVideoWithOneRowPerWay(@TempDir File dir) throws Exception {
    List<String> lines =
        benchLines(
            "--videos 1 --frames 3 --families invert --frames-out "
                + dir
                + " --set edit.steps=1 --set via.swap-steps=1 --set via.anchors=1");
    File[] images = dir.listFiles();
    assertEquals(1, images.length);
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith("  frames (rows: source, exact target, per-frame, shared noise;")
                        && l.endsWith(images[0].toString())),
        String.join("\n", lines));
    VideoFrame grid = ImageFiles.read(images[0]);
    int tile = 2 * ToyFrame.SIZE, gap = FrameGrid.GAP;
    assertEquals(3 * tile + 4 * gap, grid.width(), "three frames");
    assertEquals(6 * tile + 7 * gap, grid.height(), "source, target and four ways");

    UsageException e =
        assertThrows(UsageException.class, () -> benchLines("--held-out 2 --frames-out " + dir));
    assertEquals("bench toy: --frames-out is for videos, not --held-out", e.getMessage());
  }

  /**
   * bench toy's output lines for the test model and these options (separated by single spaces),
   * after checking that it exits with 0.
   */
  private static List<String> benchLines(String options) throws Exception {
    List<String> args = new ArrayList<>(List.of("--model", MODEL));
    args.addAll(List.of(options.split(" ")));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int rc = ToyBench.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(0, rc);
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** The videos' masks are the ones the model finds; their exact masks are --tta's ways. */
  @Test
  void refusesExactMasksOnVideos() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                ToyBench.run(
                    List.of("--model", MODEL, "--mask", "exact"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("--mask exact is for --held-out"), e.getMessage());
  }

  static final Pattern TTA_LINE =
      Pattern.compile(
          "variant=(via\\+tta|via\\+tta\\+mask) family=(\\w+) noise=(shared|per-frame)"
              + " acc=[01]\\.\\d{3} "
              + "warp=\\d+\\.\\d{3} target_warp=\\d+\\.\\d{3} s=\\d+\\.\\d{3}");

  @Test
  void endsWithOneLinePerFamilyAndNoiseModeAndTheAdaptedVariantsLines() throws Exception {
    List<String> lines =
        benchLines(
            "--videos 1 --frames 3 --set edit.steps=2 --set via.swap-steps=2 --set via.anchors=2"
                + " --tta --set via.tta.steps=1 --set via.tta.candidates=1"
                + " --set via.tta.examples-per-step=1");
    int families = ToyFamily.values().length;
    List<String> familyLines =
        lines.subList(lines.size() - 6 * families, lines.size() - 4 * families);
    for (int i = 0; i < familyLines.size(); i++) {
      var m = FAMILY_LINE.matcher(familyLines.get(i));
      assertTrue(m.matches(), familyLines.get(i));
      assertEquals(ToyFamily.values()[i / 2].word(), m.group(1));
      assertEquals(i % 2 == 0 ? "shared" : "per-frame", m.group(2));
    }
    List<String> ttaLines = lines.subList(lines.size() - 4 * families, lines.size());
    for (int i = 0; i < ttaLines.size(); i++) {
      var m = TTA_LINE.matcher(ttaLines.get(i));
      assertTrue(m.matches(), ttaLines.get(i));
      assertEquals(i < 2 * families ? "via+tta" : "via+tta+mask", m.group(1));
      assertEquals(ToyFamily.values()[i % families].word(), m.group(2));
      assertEquals(i % (2 * families) < families ? "shared" : "per-frame", m.group(3));
    }
    // exact masks keep every pixel outside the edit: the table's outside change is 0
    for (String noise : List.of("shared", "per-frame")) {
      String way = "| Via + TTA + exact masks, " + noise + " noise |";
      String row = lines.stream().filter(l -> l.startsWith(way)).findFirst().orElseThrow();
      assertEquals("0.0", row.split("\\|")[4].strip(), row);
    }
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("| exact target |")), String.join("\n", lines));
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("| Via + TTA, shared noise |")),
        String.join("\n", lines));
  }

  static final Pattern GUIDE_LINE =
      Pattern.compile(
          "variant=(guide|reference) family=(\\w+) noise=shared acc=[01]\\.\\d{3} warp=\\d+\\.\\d{3} "
              + "target_warp=\\d+\\.\\d{3} s=\\d+\\.\\d{3}");

  @Test
  void heldOutWithExamplesPrintsOneLinePerExampleBeforeTheSummary() throws Exception {
    List<String> lines = benchLines("--held-out 3 --examples --set edit.steps=2");
    Pattern example =
        Pattern.compile(
            "  example (\\d) \\((\\w+), shapes: \\d\\) \"[a-z ]+\": (colour distance|inside error) \\d+\\.\\d,"
                + "( pattern fit [01]\\.\\d\\d,)? outside change \\d+\\.\\d, other shapes \\d+\\.\\d: (correct|wrong)");
    List<String> examples = lines.stream().filter(l -> l.startsWith("  example ")).toList();
    assertEquals(3, examples.size(), String.join("\n", lines));
    for (int i = 0; i < 3; i++) {
      var m = example.matcher(examples.get(i));
      assertTrue(m.matches(), examples.get(i));
      assertEquals(Integer.toString(i), m.group(1));
    }
    assertTrue(
        lines.indexOf(examples.get(2))
            < lines.indexOf(
                lines.stream()
                    .filter(l -> l.startsWith("3 held-out examples:"))
                    .findFirst()
                    .orElseThrow()),
        String.join("\n", lines));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--guide", "--reference"})
  void guideAndReferenceModesEndWithOneLinePerFamily(String mode) throws Exception {
    List<String> lines =
        benchLines(mode + " --videos 1 --frames 3 --set edit.steps=2 --set via.swap-steps=2");
    List<String> guideLines = lines.subList(lines.size() - ToyFamily.values().length, lines.size());
    for (int i = 0; i < guideLines.size(); i++) {
      var m = GUIDE_LINE.matcher(guideLines.get(i));
      assertTrue(m.matches(), guideLines.get(i));
      assertEquals(mode.substring(2), m.group(1));
      assertEquals(ToyFamily.values()[i].word(), m.group(2));
    }
    String way = mode.equals("--guide") ? ToyBench.GUIDED : ToyBench.REFERENCED;
    String row =
        lines.stream()
            .filter(l -> l.startsWith("| " + way + " |"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(String.join("\n", lines)));
    if (mode.equals("--reference")) {
      assertEquals("0.0", row.split("\\|")[4].strip(), "exact masks keep the outside: " + row);
      // the aligned reference's colour map recolours the shape and the background in every frame
      for (String line : guideLines) {
        if (line.contains("family=shape ") || line.contains("family=background ")) {
          assertTrue(line.contains(" acc=1.000 "), line);
        }
      }
    }
  }
}
