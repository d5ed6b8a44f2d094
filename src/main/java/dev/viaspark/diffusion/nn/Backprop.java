package dev.viaspark.diffusion.nn;

import java.util.function.Supplier;

/**
 * Whether a backward pass will run through what this thread computes now. A layer that must be
 * computed differently when it is back-propagated ({@link Conv2d}) cannot ask its input: DJL's
 * {@code hasGradient()} is true only for an array marked with {@code setRequiresGradient}, and
 * false for every array an op made from one, even where autograd recorded that op. So the code that
 * runs a training forward pass says so ({@link #during}).
 */
public final class Backprop {
  private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);

  private Backprop() {}

  /** True inside {@link #during} on this thread. */
  public static boolean active() {
    return ACTIVE.get();
  }

  /** Runs {@code forward}, a pass whose result will be back-propagated. */
  public static <T> T during(Supplier<T> forward) {
    boolean before = ACTIVE.get();
    ACTIVE.set(true);
    try {
      return forward.get();
    } finally {
      ACTIVE.set(before);
    }
  }
}
