package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edit.guide} as a job: a folder of edited keyframes, named by the frame each replaces,
 * carries its edit to every frame (and, refined, becomes the video's K/V bank, every frame
 * reconstructed from its inversion with it), with no instruction; the output does not depend on
 * segmentation; a guide that does not fit its video fails that video's row, naming the file.
 */
class GuidedJobTest extends LocalSparkTest {
  private static final int W = 48;
  private static final int H = 32;
  private static final int FRAMES = 8;

  @TempDir File dir;
  File in;
  File guides;

  @BeforeEach
  void videos() throws Exception {
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
    guides = new File(dir, "guides");
    File clip = new File(guides, "clip");
    VideoFrame first = Media.frames(new File(in, "clip.mp4")).get(0);
    // "edited by hand": the left half painted red
    byte[] red = first.rgb().clone();
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W / 2; x++) {
        int p = (y * W + x) * 3;
        red[p] = (byte) 230;
        red[p + 1] = 20;
        red[p + 2] = 20;
      }
    }
    ImageFiles.write(first.withPixels(red), new File(clip, "000000.png"));
    ImageFiles.write(first.withPixels(red), new File(clip, "000005.png"));
  }

  private JobSummary run(String input, File out, String... extra) {
    List<String> sets =
        new ArrayList<>(
            List.of(
                "edit.editor=ip2p",
                "model.path=" + DiffusionEditTest.MODEL,
                "edit.steps=3",
                "via.swap-steps=2",
                "output.codec=ffv1",
                "edit.guide=" + guides.getPath() + "/{name}"));
    sets.addAll(List.of(extra));
    return edit(input, out, "", sets);
  }

  @Test
  void aGuideFolderEditsEveryFrameWithNoInstructionWhateverTheSegmentation() throws Exception {
    File source = new File(in, "clip.mp4");
    JobSummary carried = run(source.getPath(), new File(dir, "carried"));
    assertEquals(0, carried.exitCode(), describe(carried));
    List<VideoFrame> red = Media.frames(ViaJobTest.output(carried.rows().get(0)));
    for (int f : new int[] {0, 5}) {
      int p = (H / 2 * W + 4) * 3; // left half: the guide's red, on the guides' own frames
      assertTrue(
          (red.get(f).rgb()[p] & 0xff) > 200 && (red.get(f).rgb()[p + 1] & 0xff) < 60,
          "frame " + f);
    }
    ViaJobTest.assertBankLists(
        new File(dir, "carried"), "guide-000000.png", "guide-source-000005.png");
    // refined: every frame is also inverted and reconstructed with the guides' K/V
    JobSummary split =
        run(
            source.getPath(),
            new File(dir, "split"),
            "video.segment-frames=4",
            "edit.guide-refine=true");
    assertEquals(0, split.exitCode(), describe(split));
    ReportRow row = split.rows().get(0);
    assertEquals(2, row.getSegments());
    List<VideoFrame> src = Media.frames(source), out = Media.frames(ViaJobTest.output(row));
    assertEquals(FRAMES, out.size());
    for (int f = 0; f < FRAMES; f++) {
      assertFalse(
          Arrays.equals(src.get(f).rgb(), out.get(f).rgb()), "frame " + f + " was reconstructed");
    }
    JobSummary whole =
        run(
            source.getPath(),
            new File(dir, "whole"),
            "video.segment-frames=100",
            "edit.guide-refine=true");
    assertEquals(1, whole.rows().get(0).getSegments());
    Media.assertSamePixels(ViaJobTest.output(row), ViaJobTest.output(whole.rows().get(0)));
  }

  @Test
  void aGuideThatDoesNotFitItsVideoFailsOnlyThatRow() throws Exception {
    File other = new File(guides, "other");
    ImageFiles.write(
        new VideoFrame(0, 32, 32, new byte[32 * 32 * 3]), new File(other, "000002.png"));
    JobSummary s = run(in.getPath(), new File(dir, "out"));
    assertEquals(2, s.rows().size());
    for (ReportRow r : s.rows()) {
      if (r.getInput().endsWith("clip.mp4")) {
        assertEquals("ok", r.getStatus(), r.getError());
      } else {
        assertEquals("failed", r.getStatus());
        Media.assertContains(r.getError(), "edit.guide", "000002.png", "32x32", "48x32");
      }
    }
    ImageFiles.write(new VideoFrame(0, W, H, new byte[W * H * 3]), new File(other, "000002.png"));
    ImageFiles.write(new VideoFrame(0, W, H, new byte[W * H * 3]), new File(other, "000050.png"));
    JobSummary past = run(new File(in, "other.mp4").getPath(), new File(dir, "past"));
    assertEquals("failed", past.rows().get(0).getStatus());
    Media.assertContains(past.rows().get(0).getError(), "000050.png", FRAMES + " frames");
  }
}
