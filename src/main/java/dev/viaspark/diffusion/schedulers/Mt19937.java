package dev.viaspark.diffusion.schedulers;

/**
 * The 32-bit Mersenne Twister (Matsumoto and Nishimura, 1998) as PyTorch's CPU generator runs it:
 * {@code torch.Generator().manual_seed(s)} seeds it with the low 32 bits of {@code s} by the
 * reference initialisation, and its output is that of C++'s {@code std::mt19937} with the same
 * seed. Not thread-safe.
 */
final class Mt19937 {
  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UPPER = 0x80000000;
  private static final int LOWER = 0x7fffffff;

  private final int[] state = new int[N];
  private int next = N;

  Mt19937(long seed) {
    state[0] = (int) seed;
    for (int j = 1; j < N; j++) {
      state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
    }
  }

  /** The next 32 bits, as an unsigned value. */
  long nextUnsigned() {
    if (next == N) regenerate();
    int y = state[next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xffffffffL;
  }

  /** Two outputs as one 64-bit value, the first in the high half (PyTorch's {@code random64}). */
  long next64() {
    long high = nextUnsigned();
    return (high << 32) | nextUnsigned();
  }

  private void regenerate() {
    for (int k = 0; k < N; k++) {
      int y = (state[k] & UPPER) | (state[(k + 1) % N] & LOWER);
      state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
    }
    next = 0;
  }
}
