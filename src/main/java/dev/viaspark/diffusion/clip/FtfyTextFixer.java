package dev.viaspark.diffusion.clip;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ftfy 6's {@code fix_text} with its default settings, minus the mojibake repair ({@code
 * fix_encoding}), whose heuristics only act on text that was decoded with the wrong codec (such as
 * "cafÃ©"). The text is fixed line by line; each line goes through HTML unescaping, C1 controls as
 * Windows-1252, Latin ligatures, full-width and half-width forms, curly quotes, line breaks, lone
 * surrogates, terminal escapes, control characters and NFC, repeated until nothing changes.
 */
final class FtfyTextFixer {
  private static final Pattern TERMINAL_ESCAPE = Pattern.compile("\u001B\\[[\\p{Nd};]*[a-zA-Z]");
  private static final Map<Integer, String> LIGATURES =
      Map.ofEntries(
          Map.entry(0x0132, "IJ"),
          Map.entry(0x0133, "ij"),
          Map.entry(0x0149, "\u02BCn"),
          Map.entry(0x01F1, "DZ"),
          Map.entry(0x01F2, "Dz"),
          Map.entry(0x01F3, "dz"),
          Map.entry(0x01C4, "D\u017D"),
          Map.entry(0x01C5, "D\u017E"),
          Map.entry(0x01C6, "d\u017E"),
          Map.entry(0x01C7, "LJ"),
          Map.entry(0x01C8, "Lj"),
          Map.entry(0x01C9, "lj"),
          Map.entry(0x01CA, "NJ"),
          Map.entry(0x01CB, "Nj"),
          Map.entry(0x01CC, "nj"),
          Map.entry(0xFB00, "ff"),
          Map.entry(0xFB01, "fi"),
          Map.entry(0xFB02, "fl"),
          Map.entry(0xFB03, "ffi"),
          Map.entry(0xFB04, "ffl"),
          Map.entry(0xFB05, "\u017Ft"),
          Map.entry(0xFB06, "st"));
  private static final Map<Integer, String> WIDTH = widthMap();

  private FtfyTextFixer() {}

  static String fix(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean unescapeHtml = true;
    for (int start = 0; start < text.length(); ) {
      int newline = text.indexOf('\n', start);
      int end = newline < 0 ? text.length() : newline + 1;
      String line = text.substring(start, end);
      // ftfy's "auto" HTML mode: text with a '<' may be real markup, so from that line on entities
      // stay as written.
      if (line.indexOf('<') >= 0) unescapeHtml = false;
      out.append(fixLine(line, unescapeHtml));
      start = end;
    }
    return out.toString();
  }

  private static String fixLine(String line, boolean unescapeHtml) {
    String text = line;
    while (true) {
      String before = text;
      if (unescapeHtml) text = HtmlEntities.unescape(text);
      text = replaceCodePoints(text);
      text = fixLineBreaks(text);
      text = TERMINAL_ESCAPE.matcher(text).replaceAll("");
      text = removeControlCharacters(text);
      text = Normalizer.normalize(text, Normalizer.Form.NFC);
      if (text.equals(before)) return text;
    }
  }

  /**
   * The fixers that replace one code point at a time, in ftfy's order: C1 controls, ligatures,
   * width, quotes, lone surrogates. Each one's output is left alone by the later ones, except that
   * a C1 control can become a curly quote and ŉ becomes "ʼn": {@link #fixLine}'s next round uncurls
   * those, as ftfy's own loop would.
   */
  private static String replaceCodePoints(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (SloppyWindows1252.isC1(cp)) {
                out.append(SloppyWindows1252.decodeC1(cp));
              } else if (LIGATURES.containsKey(cp)) {
                out.append(LIGATURES.get(cp));
              } else if (WIDTH.containsKey(cp)) {
                out.append(WIDTH.get(cp));
              } else if (cp == 0x02BC || (cp >= 0x2018 && cp <= 0x201B)) {
                out.append('\'');
              } else if (cp >= 0x201C && cp <= 0x201F) {
                out.append('"');
              } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                out.append('\uFFFD');
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  /** ftfy's {@code remove_control_chars}; tab, newline, form feed and carriage return stay. */
  private static String removeControlCharacters(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().filter(cp -> !isRemovedControl(cp)).forEach(out::appendCodePoint);
    return out.toString();
  }

  private static boolean isRemovedControl(int cp) {
    return (cp <= 0x08)
        || cp == 0x0B
        || (cp >= 0x0E && cp <= 0x1F)
        || cp == 0x7F
        || (cp >= 0x206A && cp <= 0x206F)
        || cp == 0xFEFF
        || (cp >= 0xFFF9 && cp <= 0xFFFC);
  }

  private static String fixLineBreaks(String text) {
    return text.replace("\r\n", "\n")
        .replace('\r', '\n')
        .replace('\u2028', '\n')
        .replace('\u2029', '\n')
        .replace('\u0085', '\n');
  }

  /**
   * Half-width and full-width forms (U+FF01..U+FFEF) to their NFKC form, and the ideographic space
   * to a space.
   */
  private static Map<Integer, String> widthMap() {
    Map<Integer, String> map = new HashMap<>();
    map.put(0x3000, " ");
    for (int cp = 0xFF01; cp < 0xFFF0; cp++) {
      String c = new String(Character.toChars(cp));
      String nfkc = Normalizer.normalize(c, Normalizer.Form.NFKC);
      if (!nfkc.equals(c)) map.put(cp, nfkc);
    }
    return map;
  }
}
