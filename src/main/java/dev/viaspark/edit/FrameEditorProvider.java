package dev.viaspark.edit;

import com.typesafe.config.Config;
import dev.viaspark.storage.Storage;
import java.util.List;

/**
 * Makes frame editors; found with {@link java.util.ServiceLoader} (file {@code
 * META-INF/services/dev.viaspark.edit.FrameEditorProvider}), so a jar on the classpath can add
 * editors.
 */
public interface FrameEditorProvider {
  /** Names this provider answers to, the first being the canonical one. */
  List<String> names();

  /** One line for {@code --help}. */
  String description();

  /**
   * Checks the editor's settings before Spark starts (for example that a model path is set); throws
   * {@link IllegalArgumentException} naming the key and the cause.
   */
  default void validate(Config settings) {}

  /** Creates the editor for a device. {@code settings} is the effective viaspark config. */
  FrameEditor create(String name, Config settings, Device device);

  /** Creates the editor with access to the job's storage (for models on HDFS or S3). */
  default FrameEditor create(String name, Config settings, Device device, Storage storage) {
    return create(name, settings, device);
  }
}
