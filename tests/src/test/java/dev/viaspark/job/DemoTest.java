package dev.viaspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.toy.ToyAccuracy;
import dev.viaspark.toy.ToyDemoVideo;
import dev.viaspark.toy.ToyEdit;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.video.FrameGrid;
import dev.viaspark.video.ImageCodec;
import dev.viaspark.video.VideoFrame;
import dev.viaspark.video.VideoFrames;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's {@code viaspark demo}: a held-out toy video edited with the bundled model and
 * Via on local Spark, keeping length, size and audio; the instructed shape visibly takes the
 * instructed colour while the other shapes and the background stay as they were; the before/after
 * strip is written next to the report.
 */
class DemoTest {
  @TempDir File dir;

  @Test
  void editsTheSampleWithTheBundledModelAndVia() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    int code =
        ViasparkMain.run(
            new String[] {"demo", "--output", dir.getPath(), "--set", "spark.master=local[2]"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed + err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("bundled toy model") && printed.contains("and Via"), printed);
    assertTrue(printed.contains("attention:circle,red"), printed);

    ToyDemoVideo sample = ToyDemoVideo.pick();
    File source = new File(dir, "input/shapes.mp4");
    File edited = new File(dir, "output/shapes.mp4");
    VideoInfo info = VideoProbe.probe(edited);
    assertEquals(ToyDemoVideo.FRAMES, info.frameCount());
    assertEquals(ToyFrame.SIZE, info.width());
    assertTrue(info.hasAudio(), "audio kept");
    String report = Files.readString(new File(dir, "output/report.jsonl").toPath());
    assertTrue(report.contains("\"status\":\"ok\""), report);

    List<VideoFrame> before = VideoFrames.first(source, ToyDemoVideo.FRAMES);
    List<VideoFrame> after = VideoFrames.first(edited, ToyDemoVideo.FRAMES);
    int recoloured = 0, othersKept = 0, correct = 0;
    for (int t = 0; t < ToyDemoVideo.FRAMES; t++) {
      // scored against the encoded source, so that only the edit counts, not the codec
      var example =
          ToyEdit.example(sample.video().at(t), sample.instruction(), ToyFrame.SIZE, ToyFrame.SIZE);
      ToyAccuracy.Score s =
          ToyAccuracy.score(
              before.get(t),
              after.get(t),
              example.target(),
              example.owners(),
              example.region(),
              example.expectedColour());
      if (s.colourDistance() <= ToyAccuracy.Thresholds.DEFAULT.colour()) recoloured++;
      if (s.shapesChange() <= ToyAccuracy.Thresholds.DEFAULT.outside()) othersKept++;
      if (s.correct()) correct++;
    }
    // the circle takes the instructed colour, the other shapes and the background stay as they
    // were, in (nearly) every frame
    String counts =
        String.format(
            "of %d frames: circle recoloured in %d, other shapes kept in %d, right in %d",
            ToyDemoVideo.FRAMES, recoloured, othersKept, correct);
    System.out.println("demo: " + counts);
    assertTrue(recoloured >= 0.9 * ToyDemoVideo.FRAMES, counts);
    assertTrue(othersKept >= 0.9 * ToyDemoVideo.FRAMES, counts);
    assertTrue(correct >= 0.9 * ToyDemoVideo.FRAMES, counts);

    VideoFrame strip =
        ImageCodec.decode(Files.readAllBytes(new File(dir, "output/before-after.png").toPath()));
    int tile = 4 * ToyFrame.SIZE, gap = FrameGrid.GAP;
    assertEquals(6 * tile + 7 * gap, strip.width());
    assertEquals(2 * tile + 3 * gap, strip.height());
  }
}
