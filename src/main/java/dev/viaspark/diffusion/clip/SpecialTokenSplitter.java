package dev.viaspark.diffusion.clip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * transformers' first step, before any cleanup: the prompt is cut around literal special tokens
 * (case-sensitive, longest first), which are kept whole. Without this, "!<|endoftext|>" would reach
 * the CLIP regex as one punctuation run and never become the special token.
 */
final class SpecialTokenSplitter {
  /** A piece of the prompt, either a special token or ordinary text. */
  record Piece(String text, boolean special) {}

  private final List<String> specials;

  SpecialTokenSplitter(List<String> specials) {
    this.specials =
        specials.stream()
            .distinct()
            .filter(s -> !s.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  List<Piece> split(String text) {
    List<Piece> pieces = new ArrayList<>();
    int textStart = 0;
    for (int i = 0; i < text.length(); ) {
      String special = specialAt(text, i);
      if (special == null) {
        i++;
        continue;
      }
      if (i > textStart) pieces.add(new Piece(text.substring(textStart, i), false));
      pieces.add(new Piece(special, true));
      i += special.length();
      textStart = i;
    }
    if (textStart < text.length()) pieces.add(new Piece(text.substring(textStart), false));
    return pieces;
  }

  private String specialAt(String text, int index) {
    for (String special : specials) {
      if (text.startsWith(special, index)) return special;
    }
    return null;
  }
}
