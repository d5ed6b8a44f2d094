package dev.viaspark.edit.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Concurrent Spark tasks in one executor each get their own libtorch thread count: the setting
 * belongs to the calling thread, not to the process.
 */
class TorchThreadsTest {
  @Test
  void eachThreadKeepsItsOwnShare() throws Exception {
    ExecutorService a = Executors.newSingleThreadExecutor();
    ExecutorService b = Executors.newSingleThreadExecutor();
    try {
      assertEquals(1, a.submit(() -> sharedAndApplied(1)).get());
      assertEquals(3, b.submit(() -> sharedAndApplied(3)).get());
      // the second thread's setting did not change the first's
      assertEquals(1, a.submit(TorchThreads::inThisThread).get());
    } finally {
      a.shutdown();
      b.shutdown();
    }
  }

  @Test
  void withoutAShareLibtorchKeepsItsDefault() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      int before = pool.submit(TorchThreads::inThisThread).get();
      int after =
          pool.submit(
                  () -> {
                    TorchThreads.share(0);
                    TorchThreads.applyShare();
                    return TorchThreads.inThisThread();
                  })
              .get();
      assertEquals(before, after);
    } finally {
      pool.shutdown();
    }
  }

  private static int sharedAndApplied(int threads) {
    TorchThreads.share(threads);
    TorchThreads.applyShare();
    return TorchThreads.inThisThread();
  }
}
