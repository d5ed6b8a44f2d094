package dev.viaspark.diffusion.clip;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text cleanup transformers' CLIPTokenizer falls back to when ftfy is not installed: {@code "
 * ".join(BasicTokenizer(strip_accents=False, do_split_on_punc=False).tokenize(text))}. Control and
 * format characters are dropped, whitespace becomes a space, CJK ideographs get a space on each
 * side, then NFC, whitespace collapse and lowercase. Accents are kept and punctuation is not split
 * (the CLIP regex does that afterwards).
 */
final class BertBasicCleanup {
  private BertBasicCleanup() {}

  static String clean(String text) {
    StringBuilder spaced = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            cp -> {
              if (cp == 0 || cp == 0xFFFD || isControl(cp)) return;
              if (isBertWhitespace(cp)) {
                spaced.append(' ');
              } else if (isCjkIdeograph(cp)) {
                spaced.append(' ').appendCodePoint(cp).append(' ');
              } else {
                spaced.appendCodePoint(cp);
              }
            });
    String nfc = Normalizer.normalize(spaced, Normalizer.Form.NFC);
    return Whitespace.collapse(nfc).toLowerCase(Locale.ROOT);
  }

  /**
   * BERT's {@code _is_control}: any "C*" category (Cc, Cf, Cn, Co, Cs) except tab, newline and
   * carriage return.
   */
  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') return false;
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.UNASSIGNED:
      case Character.PRIVATE_USE:
      case Character.SURROGATE:
        return true;
      default:
        return false;
    }
  }

  /**
   * BERT's {@code _is_whitespace}: space, tab, newline, carriage return and the Zs category (not
   * U+2028/U+2029).
   */
  private static boolean isBertWhitespace(int cp) {
    return cp == ' '
        || cp == '\t'
        || cp == '\n'
        || cp == '\r'
        || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  /**
   * BERT's {@code _is_chinese_char}: the CJK Unified Ideographs blocks; kana and hangul are not
   * included.
   */
  private static boolean isCjkIdeograph(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
