package dev.viaspark.toy;

/** Edits of the whole picture, defined on the rendered (lit) source pixels. */
public enum GlobalEdit {
  /**
   * Every pixel becomes its ITU-R BT.601 luma, round(0.299 R + 0.587 G + 0.114 B), in all three
   * channels.
   */
  GRAYSCALE("make it grayscale") {
    @Override
    void apply(byte[] rgb, int p) {
      int y =
          (299 * (rgb[p] & 0xff) + 587 * (rgb[p + 1] & 0xff) + 114 * (rgb[p + 2] & 0xff) + 500)
              / 1000;
      rgb[p] = rgb[p + 1] = rgb[p + 2] = (byte) y;
    }
  },
  /** Every channel v becomes 255 - v. */
  INVERT("invert the colours") {
    @Override
    void apply(byte[] rgb, int p) {
      for (int c = p; c < p + 3; c++) rgb[c] = (byte) (255 - (rgb[c] & 0xff));
    }
  };

  private final String text;

  GlobalEdit(String text) {
    this.text = text;
  }

  /** The instruction's words. */
  public String text() {
    return text;
  }

  /** A copy of the packed RGB pixels with the edit applied. */
  public byte[] apply(byte[] rgb) {
    byte[] out = rgb.clone();
    for (int p = 0; p < out.length; p += 3) apply(out, p);
    return out;
  }

  /** Edits the pixel whose red byte is at {@code p}, in place. */
  abstract void apply(byte[] rgb, int p);
}
