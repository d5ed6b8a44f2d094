package dev.viaspark.diffusion.schedulers;

/**
 * One lane of the Cephes-style float logarithm and sine/cosine that PyTorch's AVX2 {@code normal_}
 * kernel uses ({@code avx_mathfun.h}, after Julien Pommier's {@code sse_mathfun}), operation for
 * operation, so that the results agree bit for bit. PyTorch's AVX2 build lets the compiler fuse a
 * multiply into the add or subtract that consumes it; {@link Math#fma} stands where it does.
 */
final class AvxMathFun {
  private static final float SQRTHF = 0.707106781186547524f;
  private static final float[] LOG_P = {
    7.0376836292E-2f,
    -1.1514610310E-1f,
    1.1676998740E-1f,
    -1.2420140846E-1f,
    1.4249322787E-1f,
    -1.6668057665E-1f,
    2.0000714765E-1f,
    -2.4999993993E-1f,
    3.3333331174E-1f
  };
  private static final float LOG_Q1 = -2.12194440e-4f;
  private static final float LOG_Q2 = 0.693359375f;
  private static final float MINUS_DP1 = -0.78515625f;
  private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
  private static final float MINUS_DP3 = -3.77489497744594108e-8f;
  private static final float SINCOF_P0 = -1.9515295891E-4f;
  private static final float SINCOF_P1 = 8.3321608736E-3f;
  private static final float SINCOF_P2 = -1.6666654611E-1f;
  private static final float COSCOF_P0 = 2.443315711809948E-005f;
  private static final float COSCOF_P1 = -1.388731625493765E-003f;
  private static final float COSCOF_P2 = 4.166664568298827E-002f;
  private static final float FOUR_OVER_PI = 1.27323954473516f;

  private AvxMathFun() {}

  /** {@code log256_ps} for one positive, finite lane (the kernel's {@code 1 - u} is in (0, 1]). */
  static float log(float v) {
    float x = Math.max(v, Float.MIN_NORMAL);
    int bits = Float.floatToRawIntBits(x);
    float e = (float) ((bits >>> 23) - 0x7f);
    x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
    e = e + 1f;
    if (x < SQRTHF) {
      e = e - 1f;
      x = (x - 1f) + x;
    } else {
      x = x - 1f;
    }
    float z = x * x;
    float y = LOG_P[0];
    for (int i = 1; i < LOG_P.length; i++) y = Math.fma(y, x, LOG_P[i]);
    y = Math.fma(y * x, z, e * LOG_Q1);
    y = Math.fma(-z, 0.5f, y);
    return Math.fma(e, LOG_Q2, x + y);
  }

  /** {@code sincos256_ps}'s sine. */
  static float sin(float v) {
    return sinCos(v, true);
  }

  /** {@code sincos256_ps}'s cosine. */
  static float cos(float v) {
    return sinCos(v, false);
  }

  private static float sinCos(float v, boolean sine) {
    float x = Math.abs(v);
    int j = (int) (x * FOUR_OVER_PI);
    j = (j + 1) & ~1;
    float y = j;
    boolean swapped = (j & 2) != 0;
    boolean sinNegative = (Float.floatToRawIntBits(v) < 0) ^ ((j & 4) != 0);
    boolean cosNegative = ((j - 2) & 4) == 0;
    x = Math.fma(y, MINUS_DP1, x);
    x = Math.fma(y, MINUS_DP2, x);
    x = Math.fma(y, MINUS_DP3, x);
    float z = x * x;
    float c = Math.fma(COSCOF_P0, z, COSCOF_P1);
    c = Math.fma(c, z, COSCOF_P2);
    c = c * z;
    c = Math.fma(c, z, -(z * 0.5f));
    c = c + 1f;
    float s = Math.fma(SINCOF_P0, z, SINCOF_P1);
    s = Math.fma(s, z, SINCOF_P2);
    s = s * z;
    s = Math.fma(s, x, x);
    // the sine takes the cosine polynomial where (j & 2) != 0, and the cosine the other one
    float r = sine ? (swapped ? c : s) : (swapped ? s : c);
    boolean negative = sine ? sinNegative : cosNegative;
    return negative ? -r : r;
  }
}
