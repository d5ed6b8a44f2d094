package dev.viaspark.tests;

import com.typesafe.config.Config;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditorProvider;
import dev.viaspark.edit.VideoContext;
import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Test editors that edit as {@code test:flicker} does and, the first time any task reaches frame
 * {@value #AT}, fail the way a cluster fails: {@code test:kill-once} SIGKILLs its own executor JVM,
 * {@code test:slow-once} stalls for {@value #STALL_SECONDS} s (a straggler that speculation should
 * overtake). "First time" is kept in marker files in the folder named by the environment variable
 * {@value #MARKERS} (executors get it through {@code spark.executorEnv}); the attempt that comes
 * after the fault leaves {@value #RETRIED_MARKER} there.
 */
public final class FaultingEditor implements FrameEditor {
  static final String MARKERS = "VIASPARK_TEST_FAULT_MARKERS";
  static final int AT = 35;
  static final int STALL_SECONDS = 90;
  static final String FAULT_MARKER = "faulted";
  static final String RETRIED_MARKER = "retried";

  private final String name;
  private final FrameEditor pixels = new FlickerEditor();

  private FaultingEditor(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Session open(VideoContext video) {
    Session flicker = pixels.open(video);
    return frames -> {
      if (frames.stream().anyMatch(f -> f.index() == AT)) {
        try {
          faultOnce();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return flicker.edit(frames);
    };
  }

  private void faultOnce() throws IOException {
    String folder = System.getenv(MARKERS);
    if (folder == null) throw new IOException(MARKERS + " is not set on this executor");
    File markers = new File(folder);
    if (!new File(markers, FAULT_MARKER).createNewFile()) {
      new File(markers, RETRIED_MARKER).createNewFile();
      return;
    }
    if (name.equals("test:kill-once")) {
      long pid = ProcessHandle.current().pid();
      try {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        Thread.sleep(60_000); // the signal is on its way
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("kill -9 " + pid + " did not stop this executor");
    }
    try {
      Thread.sleep(STALL_SECONDS * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("the stalled attempt was cancelled");
    }
  }

  public static final class Provider implements FrameEditorProvider {
    @Override
    public List<String> names() {
      return List.of("test:kill-once", "test:slow-once");
    }

    @Override
    public String description() {
      return "(tests) as test:flicker, but kills its executor or stalls once at frame " + AT;
    }

    @Override
    public FrameEditor create(String name, Config settings, Device device) {
      return new FaultingEditor(name);
    }
  }
}
