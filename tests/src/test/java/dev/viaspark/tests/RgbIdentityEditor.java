package dev.viaspark.tests;

import com.typesafe.config.Config;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditorProvider;
import dev.viaspark.edit.VideoContext;
import java.util.List;

/**
 * Test editor {@code test:rgb-identity}: returns every frame unchanged but, unlike {@code
 * identity}, says it needs the pixels, so its frames take the RGB path every RGB editor takes
 * (YUV->RGB after decoding, RGB->YUV before encoding).
 */
public final class RgbIdentityEditor implements FrameEditor {
  @Override
  public String name() {
    return "test:rgb-identity";
  }

  @Override
  public Session open(VideoContext video) {
    return frames -> frames;
  }

  public static final class Provider implements FrameEditorProvider {
    @Override
    public List<String> names() {
      return List.of("test:rgb-identity");
    }

    @Override
    public String description() {
      return "(tests) leaves frames unchanged, through RGB";
    }

    @Override
    public FrameEditor create(String name, Config settings, Device device) {
      return new RgbIdentityEditor();
    }
  }
}
