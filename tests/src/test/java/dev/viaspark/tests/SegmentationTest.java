package dev.viaspark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.job.driver.JobSummary;
import dev.viaspark.job.driver.ReportRow;
import dev.viaspark.video.SegmentReader;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoFrame;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a video is cut into segments (Spark tasks) must not show in the output. */
class SegmentationTest extends LocalSparkTest {
  @TempDir static File dir;
  static File input;
  static VideoInfo info;

  @BeforeAll
  static void video() {
    File in = new File(dir, "in");
    in.mkdirs();
    // 75 frames, keyframes at 0, 25, 50
    input =
        new SyntheticVideo()
            .size(96, 72)
            .fps(25, 1)
            .frames(75)
            .gop(25)
            .audio(true)
            .write(new File(in, "clip.mp4"));
    info = VideoProbe.probe(input);
    assertEquals(75, info.frameCount());
    assertEquals(List.of(0, 25, 50), Arrays.stream(info.keyframes()).boxed().toList());
  }

  private File run(String editor, int segmentFrames, int expectedSegments) {
    File out = new File(dir, "out-" + editor.replace(':', '-') + "-" + segmentFrames);
    JobSummary s =
        edit(
            input,
            out,
            null,
            "edit.editor=" + editor,
            "output.codec=ffv1",
            "video.segment-frames=" + segmentFrames);
    assertEquals(0, s.exitCode(), describe(s));
    ReportRow row = row(s, "clip.mp4");
    assertEquals("ok", row.getStatus());
    assertEquals(editor, row.getEditor());
    assertEquals(75, row.getFrames());
    assertEquals(
        expectedSegments, row.getSegments(), "segments at video.segment-frames=" + segmentFrames);
    return new File(out, "clip.mkv");
  }

  @Test
  void identityOutputDoesNotDependOnSegmentation() {
    // target 10 with a keyframe every 25 frames: segments can only start at keyframes, so one per
    // keyframe
    File small = run("identity", 10, info.keyframes().length);
    File whole = run("identity", 1000, 1);
    List<String> a = Media.frameHashes(small);
    List<String> b = Media.frameHashes(whole);
    assertEquals(75, a.size());
    assertEquals(a, b, "decoded frames with 3 segments vs 1");
    assertEquals(Media.frameHashes(input), a, "lossless identity keeps the input's pixels");
    Media.assertTimestampsEqual(small, whole);
  }

  @Test
  void sepiaOutputDoesNotDependOnSegmentationAndIsSepia() {
    File small = run("opencv:sepia", 10, 3);
    File whole = run("opencv:sepia", 1000, 1);
    List<String> a = Media.frameHashes(small);
    assertEquals(a, Media.frameHashes(whole), "decoded frames with 3 segments vs 1");
    List<String> original = Media.frameHashes(input);
    for (int i = 0; i < 75; i++)
      assertNotEquals(original.get(i), a.get(i), "frame " + i + " was edited");

    // every pixel is the classic sepia matrix applied to the input pixel (±1 for rounding)
    try (SegmentReader src = new SegmentReader(input, info.firstPts(), 0, 75);
        SegmentReader out = new SegmentReader(small, VideoProbe.probe(small).firstPts(), 0, 75)) {
      for (int i = 0; i < 75; i++) {
        VideoFrame f = src.next(), g = out.next();
        byte[] p = f.rgb(), q = g.rgb();
        for (int j = 0; j < p.length; j += 3) {
          int r = p[j] & 0xff, gr = p[j + 1] & 0xff, b = p[j + 2] & 0xff;
          int[] want = {
            clamp(0.393 * r + 0.769 * gr + 0.189 * b),
            clamp(0.349 * r + 0.686 * gr + 0.168 * b),
            clamp(0.272 * r + 0.534 * gr + 0.131 * b)
          };
          for (int c = 0; c < 3; c++) {
            int got = q[j + c] & 0xff;
            assertTrue(
                Math.abs(got - want[c]) <= 1,
                "frame "
                    + i
                    + " pixel "
                    + j / 3
                    + " channel "
                    + c
                    + ": "
                    + got
                    + " vs sepia "
                    + want[c]);
          }
        }
      }
    }
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
