package dev.viaspark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.clip.ByteLevelBpe;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A CLIP-style BPE vocabulary learned from a small corpus (a grammar's sentences): the base symbols
 * are the characters that occur, each also with the end-of-word marker {@code </w>}; merges are
 * learned the usual way (the most frequent adjacent pair, ties to the alphabetically first) until
 * every word of the corpus is a single token. Written as a transformers CLIP tokenizer folder, it
 * loads in {@link ClipTokenizer} like any other. Corpus words must be lower-case ASCII letters,
 * which byte-level BPE leaves as they are.
 */
public final class GrammarBpe {
  static final String BOS = "<|startoftext|>";
  static final String EOS = "<|endoftext|>";

  private final Map<String, Integer> vocab;
  private final List<String[]> merges;

  private GrammarBpe(Map<String, Integer> vocab, List<String[]> merges) {
    this.vocab = vocab;
    this.merges = merges;
  }

  /**
   * Learns the vocabulary of the words of {@code sentences} (split on spaces, weighted by how often
   * they occur).
   */
  public static GrammarBpe learn(List<String> sentences) {
    Map<List<String>, Integer> words = new LinkedHashMap<>();
    TreeSet<String> characters = new TreeSet<>();
    for (String sentence : sentences) {
      for (String word : sentence.toLowerCase(Locale.ROOT).strip().split("\\s+")) {
        if (word.isEmpty()) continue;
        if (!word.matches("[a-z]+"))
          throw new IllegalArgumentException("corpus word '" + word + "' is not a-z");
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < word.length(); i++) {
          String c = String.valueOf(word.charAt(i));
          characters.add(c);
          symbols.add(i == word.length() - 1 ? c + ByteLevelBpe.END_OF_WORD : c);
        }
        words.merge(symbols, 1, Integer::sum);
      }
    }
    if (words.isEmpty()) throw new IllegalArgumentException("empty corpus");
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String c : characters) vocab.put(c, vocab.size());
    for (String c : characters) vocab.put(c + ByteLevelBpe.END_OF_WORD, vocab.size());
    List<String[]> merges = new ArrayList<>();
    while (true) {
      TreeMap<String, Integer> pairCounts = new TreeMap<>();
      for (Map.Entry<List<String>, Integer> w : words.entrySet()) {
        List<String> s = w.getKey();
        for (int i = 0; i + 1 < s.size(); i++)
          pairCounts.merge(s.get(i) + " " + s.get(i + 1), w.getValue(), Integer::sum);
      }
      if (pairCounts.isEmpty()) break;
      String best = null;
      for (Map.Entry<String, Integer> e : pairCounts.entrySet()) {
        if (best == null || e.getValue() > pairCounts.get(best)) best = e.getKey();
      }
      String[] pair = best.split(" ");
      merges.add(pair);
      vocab.putIfAbsent(pair[0] + pair[1], vocab.size());
      Map<List<String>, Integer> merged = new LinkedHashMap<>();
      words.forEach(
          (s, n) -> merged.merge(ByteLevelBpe.mergeAll(s, pair[0], pair[1]), n, Integer::sum));
      words = merged;
    }
    vocab.put(BOS, vocab.size());
    vocab.put(EOS, vocab.size());
    return new GrammarBpe(vocab, merges);
  }

  public int vocabSize() {
    return vocab.size();
  }

  /** The tokens by id order: symbols, merges, then the start- and end-of-text tokens. */
  public Map<String, Integer> tokens() {
    return Collections.unmodifiableMap(vocab);
  }

  public int mergeCount() {
    return merges.size();
  }

  /**
   * Writes {@code vocab.json}, {@code merges.txt}, {@code tokenizer_config.json} (model_max_length
   * {@code maxLength}) and {@code special_tokens_map.json} into {@code dir}; the end-of-text token
   * also pads and stands for unknown symbols, as in CLIP.
   */
  public void write(Path dir, int maxLength) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Files.createDirectories(dir);
    ObjectNode v = json.createObjectNode();
    vocab.forEach(v::put);
    Files.writeString(
        dir.resolve("vocab.json"), json.writeValueAsString(v), StandardCharsets.UTF_8);
    StringBuilder m = new StringBuilder("#version: 0.2\n");
    for (String[] pair : merges) m.append(pair[0]).append(' ').append(pair[1]).append('\n');
    Files.writeString(dir.resolve("merges.txt"), m, StandardCharsets.UTF_8);
    ObjectNode special = json.createObjectNode();
    special.put("bos_token", BOS).put("eos_token", EOS).put("pad_token", EOS).put("unk_token", EOS);
    Files.writeString(
        dir.resolve("special_tokens_map.json"),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(special),
        StandardCharsets.UTF_8);
    ObjectNode config = special.deepCopy();
    config
        .put("tokenizer_class", "CLIPTokenizer")
        .put("model_max_length", maxLength)
        .put("do_lower_case", true);
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(config),
        StandardCharsets.UTF_8);
  }
}
