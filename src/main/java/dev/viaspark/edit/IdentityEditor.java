package dev.viaspark.edit;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Returns every frame unchanged: for measuring the pipeline and for transcoding. It needs no
 * pixels, so the edit stage passes decoded frames straight to the encoder (see {@link
 * FrameEditor#needsPixels()}).
 */
public final class IdentityEditor implements FrameEditor {
  @Override
  public String name() {
    return "identity";
  }

  @Override
  public int batchSize() {
    return 16;
  }

  @Override
  public boolean needsPixels() {
    return false;
  }

  @Override
  public Session open(VideoContext video) {
    return frames -> frames;
  }

  /** The provider registered for {@code identity}. */
  public static final class Provider implements FrameEditorProvider {
    @Override
    public List<String> names() {
      return List.of("identity");
    }

    @Override
    public String description() {
      return "leaves frames unchanged (re-encodes only)";
    }

    @Override
    public FrameEditor create(String name, Config settings, Device device) {
      return new IdentityEditor();
    }
  }
}
