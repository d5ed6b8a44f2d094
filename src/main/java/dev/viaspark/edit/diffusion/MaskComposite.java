package dev.viaspark.edit.diffusion;

/** Packed RGB pixels blended by a one-byte-per-pixel mask: 255 takes the edit, 0 the source. */
public final class MaskComposite {
  private MaskComposite() {}

  public static byte[] apply(byte[] sourceRgb, byte[] editedRgb, byte[] mask) {
    if (sourceRgb.length != editedRgb.length || mask.length * 3 != sourceRgb.length) {
      throw new IllegalArgumentException(
          "a mask of "
              + mask.length
              + " pixels for images of "
              + sourceRgb.length
              + " and "
              + editedRgb.length
              + " bytes");
    }
    byte[] out = new byte[sourceRgb.length];
    for (int p = 0; p < mask.length; p++) {
      int m = mask[p] & 0xff;
      for (int c = 3 * p; c < 3 * p + 3; c++) {
        int s = sourceRgb[c] & 0xff, e = editedRgb[c] & 0xff;
        out[c] = (byte) Math.round(s + (e - s) * m / 255f);
      }
    }
    return out;
  }
}
