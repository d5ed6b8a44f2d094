package dev.viaspark.diffusion.clip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE for one word: its UTF-8 bytes become printable symbols (GPT-2's {@code
 * bytes_to_unicode}), the last symbol gets {@code </w>}, and the merge with the lowest rank is
 * applied everywhere until none applies. Results are cached per word; safe for concurrent use.
 */
public final class ByteLevelBpe {
  public static final String END_OF_WORD = "</w>";

  /** The words CLIP's regex keeps whole and its BPE returns as they are. */
  private static final List<String> VERBATIM = List.of("<|startoftext|>", "<|endoftext|>");

  private static final int CACHE_LIMIT = 50_000;
  private static final char[] BYTE_SYMBOLS = byteSymbols();

  /**
   * Merge rank by pair, keyed {@code "left right"} (symbols never hold a space: byte 0x20 is 'Ġ').
   */
  private final Map<String, Integer> ranks;

  private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

  ByteLevelBpe(Map<String, Integer> ranks) {
    this.ranks = ranks;
  }

  static String pairKey(String left, String right) {
    return left + " " + right;
  }

  /** The BPE tokens of one regex match. */
  List<String> encode(String word) {
    if (word.isEmpty()) return List.of();
    if (VERBATIM.contains(word)) return List.of(word);
    List<String> cached = cache.get(word);
    if (cached != null) return cached;
    List<String> tokens = List.copyOf(merge(symbols(word)));
    if (cache.size() < CACHE_LIMIT) cache.putIfAbsent(word, tokens);
    return tokens;
  }

  /** One symbol per UTF-8 byte, with {@code </w>} on the last. */
  private static List<String> symbols(String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    List<String> symbols = new ArrayList<>(bytes.length);
    for (byte b : bytes) symbols.add(String.valueOf(BYTE_SYMBOLS[b & 0xFF]));
    int last = symbols.size() - 1;
    symbols.set(last, symbols.get(last) + END_OF_WORD);
    return symbols;
  }

  private List<String> merge(List<String> word) {
    while (word.size() > 1) {
      int bestRank = Integer.MAX_VALUE;
      String left = null;
      String right = null;
      for (int i = 0; i + 1 < word.size(); i++) {
        Integer rank = ranks.get(pairKey(word.get(i), word.get(i + 1)));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          left = word.get(i);
          right = word.get(i + 1);
        }
      }
      if (left == null) break;
      word = mergeAll(word, left, right);
    }
    return word;
  }

  /**
   * Every non-overlapping occurrence of (left, right), scanning left to right, becomes one symbol.
   */
  public static List<String> mergeAll(List<String> word, String left, String right) {
    List<String> merged = new ArrayList<>(word.size());
    for (int i = 0; i < word.size(); i++) {
      if (i + 1 < word.size() && word.get(i).equals(left) && word.get(i + 1).equals(right)) {
        merged.add(left + right);
        i++;
      } else {
        merged.add(word.get(i));
      }
    }
    return merged;
  }

  /**
   * GPT-2's {@code bytes_to_unicode}: the printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ')
   * stand for themselves, and the other 68 bytes take U+0100, U+0101, ... in byte order.
   */
  private static char[] byteSymbols() {
    char[] symbols = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      symbols[b] = (char) (printable ? b : next++);
    }
    return symbols;
  }
}
