package dev.viaspark.tests;

import static org.bytedeco.ffmpeg.global.avutil.*;
import dev.viaspark.video.*;
import java.io.File;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {
  @TempDir File dir;

  void gen(String name, String codec, String pix, int w, int h, boolean opt) {
    try {
      File f = new File(dir, name);
      VideoProbe.probe(new SyntheticVideo().size(64,48).frames(2).audio(false).write(new File(dir, "init.mp4")));
      FFmpegFrameRecorder r = new FFmpegFrameRecorder(f, w, h, 0);
      r.setVideoCodecName(codec);
      r.setPixelFormat(av_get_pix_fmt(pix));
      r.setFrameRate(25);
      r.setGopSize(25);
      r.setMaxBFrames(0);
      r.setVideoBitrate(200000);
      if (opt) r.setVideoOption("video_size", w + "x" + h);
      r.start();
      byte[] rgb = new byte[w * h * 3];
      for (int i = 0; i < 30; i++) {
        for (int p = 0; p < rgb.length; p++) rgb[p] = (byte) (p * 7 + i);
        r.recordImage(w, h, Frame.DEPTH_UBYTE, 3, w * 3, AV_PIX_FMT_RGB24, ByteBuffer.wrap(rgb));
      }
      r.stop();
      r.release();
      VideoInfo i = VideoProbe.probe(f);
      System.out.println("== " + name + " " + codec + " opt=" + opt + " -> " + i.width() + "x" + i.height() + " frames " + i.frameCount());
    } catch (Throwable e) {
      System.out.println("== " + name + " " + codec + " opt=" + opt + " FAILED: " + e);
    }
  }

  @Test
  void explore() {
    for (boolean opt : new boolean[] {false, true}) {
      gen("a" + opt + ".mp4", "libopenh264", "yuv420p", 161, 121, opt);
      gen("b" + opt + ".mp4", "mpeg4", "yuv420p", 161, 121, opt);
      gen("c" + opt + ".mkv", "ffv1", "bgr0", 161, 121, opt);
      gen("d" + opt + ".mp4", "libopenh264", "yuv420p", 160, 121, opt);
    }
  }
}
