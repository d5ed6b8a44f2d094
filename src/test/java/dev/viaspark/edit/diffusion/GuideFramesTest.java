package dev.viaspark.edit.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.edit.VideoContext;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuideFramesTest {
  @TempDir File dir;

  private static VideoFrame image(int w, int h, int value) {
    byte[] rgb = new byte[w * h * 3];
    Arrays.fill(rgb, (byte) value);
    return new VideoFrame(0, w, h, rgb);
  }

  private static VideoContext video(File guides, int frames) {
    return new VideoContext(
        "v", "in.mp4", "", 8, 6, 25, frames, 1, Map.of(GuideFrames.OPTION, guides.getPath()));
  }

  private String error(File guides, int frames) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> GuideFrames.load(video(guides, frames), Storage.local()))
        .getMessage();
  }

  @Test
  void readsEachImageAsTheFrameItsNameReplaces() throws Exception {
    ImageFiles.write(image(8, 6, 200), new File(dir, "000120.png"));
    ImageFiles.write(image(8, 6, 100), new File(dir, "7.png"));
    assertArrayEquals(new int[] {7, 120}, GuideFrames.indices(dir.getPath(), Storage.local(), 121));
    List<VideoFrame> guides = GuideFrames.load(video(dir, 121), Storage.local());
    assertEquals(7, guides.get(0).index());
    assertEquals(100, guides.get(0).rgb()[0] & 0xff);
    assertEquals(120, guides.get(1).index());
    assertEquals(200, guides.get(1).rgb()[0] & 0xff);
  }

  @Test
  void namesTheFileThatDoesNotFit() throws Exception {
    ImageFiles.write(image(8, 6, 1), new File(dir, "000120.png"));
    String past = error(dir, 100);
    assertTrue(past.contains("000120.png") && past.contains("100 frames"), past);

    ImageFiles.write(image(8, 8, 1), new File(dir, "000003.png"));
    String size = error(dir, 200);
    assertTrue(size.contains("000003.png") && size.contains("8x8") && size.contains("8x6"), size);

    File named = new File(dir, "named");
    ImageFiles.write(image(8, 6, 1), new File(named, "first.png"));
    String name = error(named, 10);
    assertTrue(name.contains("first.png") && name.contains("frame index"), name);

    File twice = new File(dir, "twice");
    ImageFiles.write(image(8, 6, 1), new File(twice, "3.png"));
    ImageFiles.write(image(8, 6, 1), new File(twice, "000003.png"));
    String second = error(twice, 10);
    assertTrue(second.contains("second guide for frame 3"), second);

    File empty = new File(dir, "empty");
    empty.mkdirs();
    String none = error(empty, 10);
    assertTrue(none.contains("no guide frames"), none);
  }
}
