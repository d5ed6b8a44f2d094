package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.EncoderSettings;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.OutputCodec;
import dev.viaspark.video.Rational;
import dev.viaspark.video.SegmentReader;
import dev.viaspark.video.SegmentWriter;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoFrame;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edit.mask} as a job: an ip2p edit changes each frame only where its mask is white, with
 * Via too, whatever the segmentation; a missing mask fails its own video's row.
 */
class MaskedJobTest extends LocalSparkTest {
  private static final int W = 48;
  private static final int H = 32;
  private static final int FRAMES = 12;

  @TempDir File dir;
  File in;

  @BeforeEach
  void videos() {
    in = new File(dir, "in");
    in.mkdirs();
    for (String name : List.of("clip.mp4", "other.mp4")) {
      new SyntheticVideo()
          .size(W, H)
          .fps(25, 1)
          .frames(FRAMES)
          .gop(4)
          .audio(false)
          .write(new File(in, name));
    }
  }

  private JobSummary run(String input, File out, String mask, String... extra) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "edit.editor=ip2p",
                "model.path=" + DiffusionEditTest.MODEL,
                "edit.steps=3",
                "output.codec=ffv1",
                "edit.mask=" + mask));
    sets.addAll(List.of(extra));
    return edit(input, out, "make it snowy", sets);
  }

  @Test
  void anImageMaskKeepsEveryPixelOutsideItInEveryFrameWithVia() throws Exception {
    File mask = new File(dir, "left.png");
    ImageFiles.write(maskFrame(0, (x, y) -> x < W / 2 ? 255 : 0), mask);
    JobSummary s =
        run(
            new File(in, "clip.mp4").getPath(),
            new File(dir, "out"),
            mask.getPath(),
            "via.enabled=true",
            "via.anchors=3",
            "via.swap-steps=2",
            "video.segment-frames=4");
    assertEquals(0, s.exitCode(), describe(s));
    ReportRow row = s.rows().get(0);
    assertEquals(3, row.getSegments());
    assertOnlyMaskedPixelsChange(
        new File(in, "clip.mp4"), ViaJobTest.output(row), (f, x) -> x < W / 2);
    JobSummary whole =
        run(
            new File(in, "clip.mp4").getPath(),
            new File(dir, "whole"),
            mask.getPath(),
            "via.enabled=true",
            "via.anchors=3",
            "via.swap-steps=2",
            "video.segment-frames=100");
    assertEquals(1, whole.rows().get(0).getSegments());
    Media.assertSamePixels(ViaJobTest.output(row), ViaJobTest.output(whole.rows().get(0)));
  }

  @Test
  void aMaskVideoNamedByTheInputFollowsItsFramesByIndex() throws Exception {
    File masks = new File(dir, "masks");
    masks.mkdirs();
    // frame i may change in its first 8 * (i % 3 + 1) columns
    try (SegmentWriter w =
        new SegmentWriter(
            new File(masks, "clip.mkv"),
            W,
            H,
            new Rational(25, 1),
            EncoderSettings.defaults(OutputCodec.FFV1))) {
      for (int i = 0; i < FRAMES; i++) {
        int columns = 8 * (i % 3 + 1);
        w.write(maskFrame(i, (x, y) -> x < columns ? 255 : 0));
      }
    }
    JobSummary s =
        run(
            new File(in, "clip.mp4").getPath(),
            new File(dir, "out"),
            masks.getPath() + "/{name}.mkv",
            "video.segment-frames=4");
    assertEquals(0, s.exitCode(), describe(s));
    File source = new File(in, "clip.mp4"), output = ViaJobTest.output(s.rows().get(0));
    assertOnlyMaskedPixelsChange(source, output, (f, x) -> x < 8 * (f % 3 + 1));
    // and each frame's own mask was used, not another's: the widest masks' last columns changed
    List<VideoFrame> src = Media.frames(source), out = Media.frames(output);
    for (int f = 2; f < FRAMES; f += 3) {
      int changed = 0;
      for (int y = 0; y < H; y++) {
        for (int x = 16; x < 24; x++) {
          int p = (y * W + x) * 3;
          if (src.get(f).rgb()[p] != out.get(f).rgb()[p]) changed++;
        }
      }
      assertTrue(changed > 0, "frame " + f + " was edited in columns 16-23, white in its mask");
    }
  }

  @Test
  void anAutoMaskKeepsPartOfEveryFrameExactlyWithVia() {
    JobSummary s =
        run(
            new File(in, "clip.mp4").getPath(),
            new File(dir, "out"),
            "auto",
            "via.enabled=true",
            "via.anchors=2",
            "via.swap-steps=2",
            "edit.mask-auto-steps=0.34",
            "edit.mask-auto-threshold=0.9",
            "edit.mask-auto-snap=margin");
    assertEquals(0, s.exitCode(), describe(s));
    List<VideoFrame> src = Media.frames(new File(in, "clip.mp4"));
    List<VideoFrame> out = Media.frames(ViaJobTest.output(s.rows().get(0)));
    for (int f = 0; f < FRAMES; f++) {
      int kept = 0;
      byte[] a = src.get(f).rgb(), b = out.get(f).rgb();
      for (int p = 0; p < a.length; p++) if (a[p] == b[p]) kept++;
      // the unmasked edit keeps almost no value exactly; at 6x4 latents a high threshold leaves
      // room outside the dilated mask
      assertTrue(kept > a.length / 10 && kept < a.length, "frame " + f + ": " + kept + " kept");
    }
  }

  /**
   * {@code edit.mask-auto-regions = follow}: the anchors' regions are listed in the bank, and every
   * frame follows its anchor's whatever the segmentation (the regions are carried from the anchor,
   * never from a segment's start).
   */
  @Test
  void followedRegionsTravelInTheBankAndKeepTheOutputIndependentOfSegmentation() throws Exception {
    String[] follow = {
      "via.enabled=true",
      "via.anchors=2",
      "via.swap-steps=2",
      "edit.mask-auto-steps=0.34",
      "edit.mask-auto-regions=follow"
    };
    String clip = new File(in, "clip.mp4").getPath();
    JobSummary split = run(clip, new File(dir, "split"), "attention", with(follow, "4"));
    assertEquals(0, split.exitCode(), describe(split));
    assertEquals(3, split.rows().get(0).getSegments());
    JobSummary whole = run(clip, new File(dir, "whole"), "attention", with(follow, "100"));
    assertEquals(1, whole.rows().get(0).getSegments());
    Media.assertSamePixels(
        ViaJobTest.output(split.rows().get(0)), ViaJobTest.output(whole.rows().get(0)));
    ViaJobTest.assertBankLists(
        new File(dir, "split"), "region-000000.png", "region-source-000011.png");
  }

  private static String[] with(String[] sets, String segmentFrames) {
    String[] all = Arrays.copyOf(sets, sets.length + 1);
    all[sets.length] = "video.segment-frames=" + segmentFrames;
    return all;
  }

  @Test
  void aMissingMaskFailsOnlyItsVideosRow() throws Exception {
    File masks = new File(dir, "masks");
    masks.mkdirs();
    ImageFiles.write(maskFrame(0, (x, y) -> x < W / 2 ? 255 : 0), new File(masks, "clip.png"));
    JobSummary s = run(in.getPath(), new File(dir, "out"), masks.getPath() + "/{name}.png");
    assertEquals(2, s.rows().size());
    for (ReportRow r : s.rows()) {
      if (r.getInput().endsWith("clip.mp4")) {
        assertEquals("ok", r.getStatus(), r.getError());
      } else {
        assertEquals("failed", r.getStatus());
        Media.assertContains(r.getError(), "edit.mask", "other.png");
      }
    }
  }

  @Test
  void aMaskOfAnotherAspectRatioOrTooFewFramesFailsOnlyItsVideosRow() throws Exception {
    File masks = new File(dir, "masks");
    masks.mkdirs();
    // clip's mask video is square (48x48 for a 48x32 video), other's ends halfway through
    for (String name : List.of("clip", "other")) {
      int height = name.equals("clip") ? W : H;
      int frames = name.equals("clip") ? FRAMES : FRAMES / 2;
      try (SegmentWriter w =
          new SegmentWriter(
              new File(masks, name + ".mkv"),
              W,
              height,
              new Rational(25, 1),
              EncoderSettings.defaults(OutputCodec.FFV1))) {
        for (int i = 0; i < frames; i++) {
          w.write(new VideoFrame(i, W, height, new byte[W * height * 3]));
        }
      }
    }
    new SyntheticVideo().size(W, H).fps(25, 1).frames(4).audio(false).write(new File(in, "ok.mp4"));
    try (SegmentWriter w =
        new SegmentWriter(
            new File(masks, "ok.mkv"),
            W * 2,
            H * 2,
            new Rational(25, 1),
            EncoderSettings.defaults(OutputCodec.FFV1))) {
      for (int i = 0; i < 4; i++) w.write(new VideoFrame(i, W * 2, H * 2, new byte[W * H * 12]));
    }
    JobSummary s = run(in.getPath(), new File(dir, "out"), masks.getPath() + "/{name}.mkv");
    Map<String, ReportRow> rows = new HashMap<>();
    for (ReportRow r : s.rows()) rows.put(new File(r.getInput()).getName(), r);
    Media.assertContains(
        rows.get("clip.mp4").getError(), "clip.mkv", "48x48", "48x32", "aspect ratio");
    Media.assertContains(
        rows.get("other.mp4").getError(), "other.mkv", "has 6 frames", "the video needs frame");
    assertEquals("ok", rows.get("ok.mp4").getStatus(), "a mask of twice the size is resized");
  }

  /**
   * edit.reference with the reference's colours moved in and the edit with its K/V swapped in: the
   * reference's K/V make the bank, no instruction is needed, outside the mask nothing moves, and
   * the frames do not depend on segmentation; a missing reference fails its row. With the default
   * transfer (colours alone) the masked region is the reference's colour.
   */
  @Test
  void aReferenceImageEditsOnlyTheMaskedRegionWhateverTheSegmentation() throws Exception {
    File mask = new File(dir, "left.png");
    ImageFiles.write(maskFrame(0, (x, y) -> x < W / 2 ? 255 : 0), mask);
    File reference = new File(dir, "red.png");
    byte[] red = new byte[2 * W * 2 * H * 3];
    for (int p = 0; p < red.length; p += 3) red[p] = (byte) 220;
    ImageFiles.write(new VideoFrame(0, 2 * W, 2 * H, red), reference); // resized to the video's
    List<String> sets =
        List.of(
            "edit.editor=ip2p",
            "model.path=" + DiffusionEditTest.MODEL,
            "edit.steps=3",
            "via.swap-steps=2",
            "output.codec=ffv1",
            "edit.mask=" + mask.getPath(),
            "edit.reference=" + dir.getPath() + "/{name}.png");
    Files.copy(reference.toPath(), new File(dir, "clip.png").toPath());
    List<String> split = new ArrayList<>(sets);
    split.add("edit.reference-transfer=colours-then-swap");
    split.add("video.segment-frames=4");
    JobSummary s = edit(in.getPath(), new File(dir, "split"), "", split);
    Map<String, ReportRow> rows = new HashMap<>();
    for (ReportRow r : s.rows()) rows.put(new File(r.getInput()).getName(), r);
    ReportRow clip = rows.get("clip.mp4");
    assertEquals("ok", clip.getStatus(), clip.getError());
    assertEquals(3, clip.getSegments());
    assertTrue(clip.getBankBytes() > 0, "the reference's K/V make a bank");
    assertOnlyMaskedPixelsChange(
        new File(in, "clip.mp4"), ViaJobTest.output(clip), (f, x) -> x < W / 2);
    Media.assertContains(rows.get("other.mp4").getError(), "edit.reference", "other.png");
    List<String> whole = new ArrayList<>(sets);
    whole.add("edit.reference-transfer=colours-then-swap");
    whole.add("video.segment-frames=100");
    JobSummary one = edit(new File(in, "clip.mp4").getPath(), new File(dir, "whole"), "", whole);
    assertEquals(1, one.rows().get(0).getSegments());
    Media.assertSamePixels(ViaJobTest.output(clip), ViaJobTest.output(one.rows().get(0)));

    JobSummary colours =
        edit(new File(in, "clip.mp4").getPath(), new File(dir, "colours"), "", sets);
    File recoloured = ViaJobTest.output(colours.rows().get(0));
    assertOnlyMaskedPixelsChange(new File(in, "clip.mp4"), recoloured, (f, x) -> x < W / 2);
    for (VideoFrame f : Media.frames(recoloured)) {
      byte[] rgb = f.rgb();
      for (int p = 0; p < W * H; p++) {
        if (p % W >= W / 2) continue;
        int[] c = {rgb[3 * p] & 0xff, rgb[3 * p + 1] & 0xff, rgb[3 * p + 2] & 0xff};
        assertTrue(
            Math.abs(c[0] - 220) <= 2 && c[1] <= 2 && c[2] <= 2,
            "frame " + f.index() + " pixel " + p + " is " + Arrays.toString(c) + ", not the red");
      }
    }
  }

  /**
   * edit.reference-aligned: a reference that is frame 0 edited in another tool (here its left half
   * inverted) teaches its colour map, and every frame's masked half takes it.
   */
  @Test
  void anAlignedReferenceCarriesFrame0sEditToEveryFrame() throws Exception {
    File mask = new File(dir, "left.png");
    ImageFiles.write(maskFrame(0, (x, y) -> x < W / 2 ? 255 : 0), mask);
    File clip = new File(in, "clip.mp4");
    List<VideoFrame> sources = Media.frames(clip);
    File reference = new File(dir, "frame0-inverted.png");
    ImageFiles.write(invertedLeft(sources.get(0)), reference);

    JobSummary s =
        edit(clip.getPath(), new File(dir, "aligned"), "", alignedReference(mask, reference));

    File out = ViaJobTest.output(s.rows().get(0));
    assertOnlyMaskedPixelsChange(clip, out, (f, x) -> x < W / 2);
    List<VideoFrame> edited = Media.frames(out);
    for (int f = 0; f < FRAMES; f++) {
      double off = Media.meanAbsDiff(invertedLeft(sources.get(f)).rgb(), edited.get(f).rgb());
      assertTrue(off < 2, "frame " + f + " is " + off + " from its left half inverted");
    }
    // colours swap no K/V in: stage 1 gathers none
    JsonNode bank =
        new ObjectMapper().readTree(ViaJobTest.bankManifest(new File(dir, "aligned")).toFile());
    assertEquals(0, bank.get("steps").asInt(), bank.toString());
  }

  /**
   * An aligned reference whose edit no colour map explains (dark stripes over the left half) is
   * carried along the source's motion as a guide of frame 0: frame 0 comes out as the reference,
   * and only the masked half of any frame moves.
   */
  @Test
  void anAlignedReferenceThatIsNoColourEditIsCarriedAlongTheMotion() throws Exception {
    File mask = new File(dir, "left.png");
    ImageFiles.write(maskFrame(0, (x, y) -> x < W / 2 ? 255 : 0), mask);
    File clip = new File(in, "clip.mp4");
    VideoFrame first = Media.frames(clip).get(0);
    byte[] striped = first.rgb().clone();
    for (int p = 0; p < W * H; p++) {
      if (p % W < W / 2 && (p % W) / 3 % 2 == 0) {
        striped[3 * p] = striped[3 * p + 1] = striped[3 * p + 2] = 0;
      }
    }
    File reference = new File(dir, "frame0-striped.png");
    ImageFiles.write(first.withPixels(striped), reference);

    JobSummary s =
        edit(clip.getPath(), new File(dir, "carried"), "", alignedReference(mask, reference));

    File out = ViaJobTest.output(s.rows().get(0));
    assertOnlyMaskedPixelsChange(clip, out, (f, x) -> x < W / 2);
    assertTrue(Media.meanAbsDiff(striped, Media.frames(out).get(0).rgb()) < 0.5);
  }

  /** The settings of a Via edit with an aligned reference image and a mask, lossless. */
  private static List<String> alignedReference(File mask, File reference) {
    return List.of(
        "edit.editor=ip2p",
        "model.path=" + DiffusionEditTest.MODEL,
        "output.codec=ffv1",
        "edit.mask=" + mask.getPath(),
        "edit.reference=" + reference.getPath(),
        "edit.reference-aligned=true");
  }

  private static VideoFrame invertedLeft(VideoFrame f) {
    byte[] rgb = f.rgb().clone();
    for (int p = 0; p < W * H; p++) {
      if (p % W >= W / 2) continue;
      for (int c = 3 * p; c < 3 * p + 3; c++) rgb[c] = (byte) (255 - (rgb[c] & 0xff));
    }
    return f.withPixels(rgb);
  }

  @Test
  void aReferenceNeedsAMask() {
    try {
      JobSummary s =
          edit(
              new File(in, "clip.mp4").getPath(),
              new File(dir, "x"),
              "",
              List.of(
                  "edit.editor=ip2p",
                  "model.path=" + DiffusionEditTest.MODEL,
                  "edit.reference=" + new File(dir, "r.png")));
      throw new AssertionError("a reference without a mask was accepted: " + describe(s));
    } catch (RuntimeException e) {
      Media.assertContains(e.getMessage(), "edit.reference", "needs edit.mask");
    }
  }

  @Test
  void aMaskNeedsTheDiffusionEditor() {
    try {
      JobSummary s =
          edit(
              new File(in, "clip.mp4").getPath(),
              new File(dir, "x"),
              "make it snowy",
              List.of("edit.editor=identity", "edit.mask=" + new File(dir, "m.png")));
      throw new AssertionError("a mask with the identity editor was accepted: " + describe(s));
    } catch (RuntimeException e) {
      Media.assertContains(e.getMessage(), "edit.mask", "ip2p");
    }
  }

  /** A mask frame, white where {@code white(x, y)} is 255. */
  private static VideoFrame maskFrame(int index, IntBinaryOperator white) {
    byte[] rgb = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        byte v = (byte) white.applyAsInt(x, y);
        for (int c = 0; c < 3; c++) rgb[(y * W + x) * 3 + c] = v;
      }
    }
    return new VideoFrame(index, W, H, rgb);
  }

  private interface MayChange {
    boolean at(int frame, int x);
  }

  /**
   * Every frame of {@code output} has the source's exact pixels where the mask is black, and the
   * edit changed pixels where it is white.
   */
  private static void assertOnlyMaskedPixelsChange(File source, File output, MayChange mask) {
    VideoInfo a = VideoProbe.probe(source), b = VideoProbe.probe(output);
    assertEquals(a.frameCount(), b.frameCount());
    int changedInside = 0;
    try (SegmentReader ra = new SegmentReader(source, a.firstPts(), 0, a.frameCount());
        SegmentReader rb = new SegmentReader(output, b.firstPts(), 0, b.frameCount())) {
      for (int f = 0; f < a.frameCount(); f++) {
        byte[] src = ra.next().rgb(), out = rb.next().rgb();
        for (int y = 0; y < H; y++) {
          for (int x = 0; x < W; x++) {
            for (int c = 0; c < 3; c++) {
              int p = (y * W + x) * 3 + c;
              if (!mask.at(f, x)) {
                assertEquals(src[p], out[p], "frame " + f + " at " + x + "," + y + " moved");
              } else if (src[p] != out[p]) {
                changedInside++;
              }
            }
          }
        }
      }
    }
    assertTrue(changedInside > 0, "the edit changed nothing inside the masks");
  }
}
