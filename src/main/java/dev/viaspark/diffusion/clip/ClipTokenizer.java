package dev.viaspark.diffusion.clip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLIP BPE tokenizer of Stable Diffusion 1.x and InstructPix2Pix. {@link #encode} gives the ids
 * of transformers' slow CLIPTokenizer called as the pipeline calls it, {@code tokenizer(prompt,
 * padding="max_length", max_length=77, truncation=True)}: {@code [bos] + bpe(prompt)[:maxLength-2]
 * + [eos]}, padded with the pad token.
 *
 * <p>A prompt is cut around literal special tokens, cleaned ({@link TextCleanup}), split by the
 * CLIP regex (letter runs, single digits, contractions, punctuation runs), and each piece is
 * byte-level BPE encoded. Immutable and thread-safe.
 */
public final class ClipTokenizer {
  private static final Pattern CLIP_WORDS =
      Pattern.compile(
          "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

  private final Map<String, Integer> vocab;
  private final ByteLevelBpe bpe;
  private final SpecialTokenSplitter specialTokens;
  private final TextCleanup cleanup;
  private final int maxLength;
  private final int bosId;
  private final int eosId;
  private final int padId;
  private final int unkId;

  private ClipTokenizer(TokenizerFiles files, TextCleanup cleanup) {
    this.vocab = files.vocab();
    this.bpe = new ByteLevelBpe(files.mergeRanks());
    this.specialTokens =
        new SpecialTokenSplitter(List.of(files.bos(), files.eos(), files.pad(), files.unk()));
    this.cleanup = cleanup;
    this.maxLength = files.maxLength();
    this.bosId = files.idOf(files.bos(), "bos_token");
    this.eosId = files.idOf(files.eos(), "eos_token");
    this.padId = files.idOf(files.pad(), "pad_token");
    this.unkId = files.idOf(files.unk(), "unk_token");
  }

  /**
   * The tokenizer in {@code tokenizerDir}, cleaning text as transformers without ftfy does ({@link
   * TextCleanup#BASIC}).
   */
  public static ClipTokenizer load(Path tokenizerDir) {
    return load(tokenizerDir, TextCleanup.BASIC);
  }

  /**
   * Reads {@code vocab.json} and {@code merges.txt}, and {@code model_max_length} (default 77) and
   * the bos, eos, pad and unk tokens from {@code tokenizer_config.json} / {@code
   * special_tokens_map.json} when present.
   *
   * @throws dev.viaspark.diffusion.weights.CheckpointException naming the file, when one is missing
   *     or malformed
   */
  public static ClipTokenizer load(Path tokenizerDir, TextCleanup cleanup) {
    Objects.requireNonNull(cleanup, "cleanup");
    return new ClipTokenizer(TokenizerFiles.read(tokenizerDir), cleanup);
  }

  /** The {@link #maxLength()} ids of {@code text}: bos, the BPE ids (truncated), eos, then pad. */
  public int[] encode(String text) {
    List<String> tokens = tokens(text);
    int kept = Math.min(tokens.size(), maxLength - 2);
    int[] ids = new int[maxLength];
    Arrays.fill(ids, padId);
    ids[0] = bosId;
    for (int i = 0; i < kept; i++) ids[i + 1] = vocab.getOrDefault(tokens.get(i), unkId);
    ids[kept + 1] = eosId;
    return ids;
  }

  /** The BPE token strings of {@code text}, without bos/eos and before truncation. */
  public List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    for (SpecialTokenSplitter.Piece piece : specialTokens.split(text)) {
      if (piece.special()) {
        tokens.add(piece.text());
        continue;
      }
      Matcher words = CLIP_WORDS.matcher(cleanup.apply(piece.text()));
      while (words.find()) tokens.addAll(bpe.encode(words.group()));
    }
    return tokens;
  }

  /**
   * The positions in {@link #encode}{@code (text)} of the tokens of {@code words}, wherever each
   * word's tokens occur in the text's; every token of the text when {@code words} is empty or none
   * of them occurs.
   */
  public int[] positionsOf(String text, List<String> words) {
    List<String> tokens = tokens(text);
    int kept = Math.min(tokens.size(), maxLength - 2);
    TreeSet<Integer> found = new TreeSet<>();
    for (String word : words) {
      List<String> w = tokens(word);
      for (int start = 0; !w.isEmpty() && start + w.size() <= kept; start++) {
        if (tokens.subList(start, start + w.size()).equals(w)) {
          for (int j = 0; j < w.size(); j++) found.add(start + j + 1);
        }
      }
    }
    if (found.isEmpty()) for (int i = 0; i < kept; i++) found.add(i + 1);
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  public int maxLength() {
    return maxLength;
  }

  public int vocabSize() {
    return vocab.size();
  }

  /** How this tokenizer cleans text before the BPE. */
  public TextCleanup cleanup() {
    return cleanup;
  }
}
