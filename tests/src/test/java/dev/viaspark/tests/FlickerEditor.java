package dev.viaspark.tests;

import com.typesafe.config.Config;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditorProvider;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Test editor {@code test:flicker}: odd frames get {@value #DELTA} added to every channel (clipped
 * at 255), even frames are left alone: the worst kind of temporal inconsistency, with a known size.
 */
public final class FlickerEditor implements FrameEditor {
  static final int DELTA = 40;

  @Override
  public String name() {
    return "test:flicker";
  }

  @Override
  public Session open(VideoContext video) {
    return frames -> {
      List<VideoFrame> out = new ArrayList<>();
      for (VideoFrame f : frames) {
        if (f.index() % 2 == 0) {
          out.add(f);
          continue;
        }
        byte[] rgb = f.rgb().clone();
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) Math.min(255, (rgb[i] & 0xff) + DELTA);
        out.add(f.withPixels(rgb));
      }
      return out;
    };
  }

  public static final class Provider implements FrameEditorProvider {
    @Override
    public List<String> names() {
      return List.of("test:flicker");
    }

    @Override
    public String description() {
      return "(tests) brightens odd frames";
    }

    @Override
    public FrameEditor create(String name, Config settings, Device device) {
      return new FlickerEditor();
    }
  }
}
