package dev.viaspark.diffusion.clip;

/**
 * What the C1 controls U+0080..U+009F become when their byte is read as Windows-1252, ftfy's
 * "sloppy" way: the five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay as
 * they are. Browsers (and Python's {@code html.unescape} for {@code &#128;..&#159;}) decode that
 * range the same way.
 */
final class SloppyWindows1252 {
  private static final String C1 =
      "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F"
          + "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

  private SloppyWindows1252() {}

  static boolean isC1(int codePoint) {
    return codePoint >= 0x80 && codePoint <= 0x9F;
  }

  /** The Windows-1252 reading of a C1 control; {@code codePoint} must satisfy {@link #isC1}. */
  static char decodeC1(int codePoint) {
    return C1.charAt(codePoint - 0x80);
  }
}
