package dev.viaspark.diffusion.clip;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as Python's {@code str.isspace()}, {@code str.split()} and CLIP's {@code
 * whitespace_clean} see it.
 */
final class Whitespace {
  private Whitespace() {}

  /**
   * Python's {@code isspace}: Java's own definition leaves out the no-break spaces (U+00A0, U+2007,
   * U+202F), and the space-separator test leaves out the ASCII controls, so a code point is
   * whitespace if either says so, or if it is U+0085 NEXT LINE.
   */
  static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint)
        || Character.isSpaceChar(codePoint)
        || codePoint == 0x85;
  }

  /** Python's {@code text.split()}: the runs of non-whitespace, in order. */
  static List<String> words(CharSequence text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < text.length(); ) {
      int cp = Character.codePointAt(text, i);
      if (isSpace(cp)) {
        if (start >= 0) words.add(text.subSequence(start, i).toString());
        start = -1;
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) words.add(text.subSequence(start, text.length()).toString());
    return words;
  }

  /**
   * CLIP's {@code whitespace_clean}: every whitespace run becomes one space, and the ends are
   * stripped.
   */
  static String collapse(CharSequence text) {
    return String.join(" ", words(text));
  }
}
