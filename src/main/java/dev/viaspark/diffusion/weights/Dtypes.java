package dev.viaspark.diffusion.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Safetensors dtype names, their sizes, and conversions to float32 done in Java (DJL cannot take
 * bfloat16).
 */
public final class Dtypes {
  private Dtypes() {}

  public static int size(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> throw new CheckpointException("unsupported safetensors dtype " + dtype);
    };
  }

  /** IEEE 754 half precision to float32, exact (subnormals, infinities and NaN included). */
  public static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    if (exp == 0) {
      if (mant == 0) return Float.intBitsToFloat(sign);
      float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /**
   * Converts {@code count} elements of {@code dtype} (little-endian) to float32 into a new direct
   * buffer.
   */
  public static ByteBuffer toFloat32Buffer(ByteBuffer src, String dtype, int count, String what) {
    ByteBuffer out = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
    ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case "F32" -> {
        for (int i = 0; i < count; i++) out.putFloat(i * 4, in.getFloat(i * 4));
      }
      case "F16" -> {
        for (int i = 0; i < count; i++) out.putFloat(i * 4, halfToFloat(in.getShort(i * 2)));
      }
      case "BF16" -> {
        for (int i = 0; i < count; i++) out.putFloat(i * 4, bf16ToFloat(in.getShort(i * 2)));
      }
      case "F64" -> {
        for (int i = 0; i < count; i++) out.putFloat(i * 4, (float) in.getDouble(i * 8));
      }
      default -> {
        long[] l = toLongs(in, dtype, count, what);
        for (int i = 0; i < count; i++) out.putFloat(i * 4, l[i]);
      }
    }
    return out;
  }

  public static float[] toFloats(ByteBuffer src, String dtype, int count, String what) {
    float[] out = new float[count];
    toFloat32Buffer(src, dtype, count, what).asFloatBuffer().get(out);
    return out;
  }

  public static long[] toLongs(ByteBuffer src, String dtype, int count, String what) {
    ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] =
          switch (dtype) {
            case "I64", "U64" -> in.getLong(i * 8);
            case "I32" -> in.getInt(i * 4);
            case "U32" -> in.getInt(i * 4) & 0xffffffffL;
            case "I16" -> in.getShort(i * 2);
            case "U16" -> in.getShort(i * 2) & 0xffff;
            case "I8" -> in.get(i);
            case "U8", "BOOL" -> in.get(i) & 0xff;
            default ->
                throw new CheckpointException(what + ": " + dtype + " is not an integer dtype");
          };
    }
    return out;
  }
}
