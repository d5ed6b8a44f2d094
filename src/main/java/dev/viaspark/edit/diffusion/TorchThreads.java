package dev.viaspark.edit.diffusion;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's CPU threads, per calling thread. libtorch runs a CPU kernel on an OpenMP team of the
 * calling thread, sized by that thread's own setting, so Spark tasks running at once in one
 * executor can each use their share of its cores instead of each using all of them.
 *
 * <p>The scheduling layer records a task's share ({@link #share}); the editor applies it ({@link
 * #applyShare}) when it starts libtorch work, so that tasks of editors without libtorch never load
 * it.
 */
public final class TorchThreads {
  private static final ThreadLocal<Integer> SHARE = new ThreadLocal<>();
  private static final ThreadLocal<Integer> APPLIED = new ThreadLocal<>();

  private TorchThreads() {}

  /**
   * Records how many threads libtorch work started from this thread may use; 0 leaves libtorch's
   * default (as many as the machine has cores).
   */
  public static void share(int threads) {
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0: " + threads);
    SHARE.set(threads == 0 ? null : threads);
  }

  /** Makes libtorch work started from this thread use the share recorded for it, if any. */
  public static void applyShare() {
    Integer threads = SHARE.get();
    if (threads == null || threads.equals(APPLIED.get())) return;
    Engine.getEngine("PyTorch"); // loads the native library
    JniUtils.setNumThreads(threads);
    APPLIED.set(threads);
  }

  /** The threads libtorch work started from this thread uses. */
  public static int inThisThread() {
    Engine.getEngine("PyTorch");
    return JniUtils.getNumThreads();
  }
}
