package dev.viaspark.job.driver;

import dev.viaspark.job.stages.VideoTask;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.OutputContainer;
import org.apache.hadoop.fs.Path;

/**
 * Where each edited video goes: {@code OUTPUT/<input name with the container's extension>}, or the
 * manifest row's {@code output} (relative to OUTPUT unless absolute), always with the extension of
 * the container it really is.
 */
final class OutputNames {
  private OutputNames() {}

  static String uri(VideoTask t, String outputDir, OutputContainer container, Storage storage) {
    if (t.outputOverride() != null && !t.outputOverride().isBlank()) {
      String o = withExtension(t.outputOverride(), container.extension());
      boolean absolute = new Path(o).toUri().getScheme() != null || o.startsWith("/");
      return absolute ? storage.path(o).toString() : Storage.join(outputDir, o);
    }
    return Storage.join(
        outputDir, withExtension(Storage.fileName(t.input()), container.extension()));
  }

  /** The name with its extension replaced (or added). */
  static String withExtension(String name, String extension) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    String stem = dot > slash + 1 ? name.substring(0, dot) : name;
    return stem + "." + extension;
  }
}
