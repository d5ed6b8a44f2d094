package dev.viaspark.diffusion.clip;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.viaspark.diffusion.weights.CheckpointException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face CLIP tokenizer folder, read: {@code vocab.json} (token to id), {@code merges.txt}
 * (merge ranks), and the optional {@code tokenizer_config.json} / {@code special_tokens_map.json}
 * (model_max_length and the special tokens; the map wins over the config, as in transformers).
 */
record TokenizerFiles(
    Path dir,
    Map<String, Integer> vocab,
    Map<String, Integer> mergeRanks,
    int maxLength,
    String bos,
    String eos,
    String pad,
    String unk) {
  static final int DEFAULT_MAX_LENGTH = 77;

  /** transformers' CLIPTokenizer reads at most this many merges (49152 - 256 - 2). */
  private static final int MAX_MERGES = 48_894;

  /** Above this, model_max_length is transformers' "no limit" sentinel (1e30), not a length. */
  private static final long UNSET_MAX_LENGTH = 1_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  static TokenizerFiles read(Path dir) {
    Map<String, Integer> vocab = readVocab(dir.resolve("vocab.json"));
    Map<String, Integer> ranks = readMerges(dir.resolve("merges.txt"));
    JsonNode config = readOptionalJson(dir.resolve("tokenizer_config.json"));
    JsonNode specialMap = readOptionalJson(dir.resolve("special_tokens_map.json"));
    return new TokenizerFiles(
        dir,
        vocab,
        ranks,
        maxLength(config, dir.resolve("tokenizer_config.json")),
        specialToken("bos_token", "<|startoftext|>", config, specialMap),
        specialToken("eos_token", "<|endoftext|>", config, specialMap),
        specialToken("pad_token", "<|endoftext|>", config, specialMap),
        specialToken("unk_token", "<|endoftext|>", config, specialMap));
  }

  /** The id of a special token, which must be in the vocabulary. */
  int idOf(String token, String role) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new CheckpointException(
          dir.resolve("vocab.json") + ": has no id for the " + role + " \"" + token + "\"");
    }
    return id;
  }

  private static Map<String, Integer> readVocab(Path file) {
    JsonNode root = readJson(file);
    if (!root.isObject() || root.isEmpty()) {
      throw new CheckpointException(
          file + ": malformed vocabulary: expected a non-empty JSON object of token: id");
    }
    Map<String, Integer> vocab = new HashMap<>(root.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToInt()) {
        throw new CheckpointException(
            file
                + ": malformed vocabulary: token \""
                + e.getKey()
                + "\" has id "
                + e.getValue()
                + ", expected an integer");
      }
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    return Map.copyOf(vocab);
  }

  /**
   * One {@code "left right"} pair per line after the {@code #version} header; the rank is the
   * line's position, so a later duplicate wins, as in transformers' {@code dict(zip(merges,
   * range(len(merges))))}.
   */
  private static Map<String, Integer> readMerges(Path file) {
    List<String> lines = readLines(file);
    int first = !lines.isEmpty() && lines.get(0).startsWith("#version") ? 1 : 0;
    List<String> rules = lines.subList(first, Math.min(lines.size(), first + MAX_MERGES));
    Map<String, Integer> ranks = new HashMap<>(rules.size() * 2);
    for (int rank = 0; rank < rules.size(); rank++) {
      String line = rules.get(rank).strip();
      if (line.isEmpty()) continue;
      List<String> pair = Whitespace.words(line);
      if (pair.size() != 2) {
        throw new CheckpointException(
            file
                + ": malformed merges: line "
                + (first + rank + 1)
                + " is \""
                + line
                + "\", expected two symbols separated by a space");
      }
      ranks.put(ByteLevelBpe.pairKey(pair.get(0), pair.get(1)), rank);
    }
    if (ranks.isEmpty()) throw new CheckpointException(file + ": malformed merges: no merge rules");
    return Map.copyOf(ranks);
  }

  private static int maxLength(JsonNode config, Path file) {
    JsonNode node = config.get("model_max_length");
    if (node == null || node.isNull() || node.asDouble() >= UNSET_MAX_LENGTH)
      return DEFAULT_MAX_LENGTH;
    if (!node.canConvertToInt() || node.asInt() < 2) {
      throw new CheckpointException(
          file + ": model_max_length " + node + " must be an integer of at least 2");
    }
    return node.asInt();
  }

  /**
   * A special token given as a string or as an AddedToken object with "content"; null keeps the
   * default.
   */
  private static String specialToken(
      String key, String fallback, JsonNode config, JsonNode specialMap) {
    String value = fallback;
    for (JsonNode source : List.of(config, specialMap)) {
      JsonNode node = source.get(key);
      if (node == null || node.isNull()) continue;
      value = node.isObject() ? node.path("content").asText(value) : node.asText();
    }
    return value;
  }

  private static JsonNode readOptionalJson(Path file) {
    return Files.exists(file) ? readJson(file) : JSON.createObjectNode();
  }

  private static JsonNode readJson(Path file) {
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (root == null || root.isMissingNode())
        throw new CheckpointException(file + ": malformed JSON: empty file");
      return root;
    } catch (IOException e) {
      throw new CheckpointException(file + ": " + describe(e), e);
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CheckpointException(file + ": " + describe(e), e);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException || e instanceof FileNotFoundException)
      return "file not found";
    if (e instanceof JsonProcessingException json) {
      JsonLocation at = json.getLocation();
      return "malformed JSON: "
          + json.getOriginalMessage()
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
    if (e instanceof CharacterCodingException) return "not valid UTF-8";
    return "unreadable: " + e;
  }
}
