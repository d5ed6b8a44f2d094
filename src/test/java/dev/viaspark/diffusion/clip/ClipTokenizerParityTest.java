package dev.viaspark.diffusion.clip;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.viaspark.diffusion.TestVectors;
import dev.viaspark.diffusion.weights.CheckpointException;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer against transformers' CLIPTokenizer: the 17 prompts of {@code vectors/tokenizer} on
 * the checkpoint's tiny vocabulary, and the 25 prompts of {@code
 * clip-vocab/vectors/tokenizer_real_vocab} on the real one, each without ftfy (BASIC) and with it
 * (FTFY).
 */
class ClipTokenizerParityTest {
  private static final String ASTRONAUT = "a photo of an astronaut riding a horse on mars";
  private static final int[] ASTRONAUT_IDS = {
    49406, 320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496, 49407
  };
  private static final Map<TextCleanup, ClipTokenizer> REAL_TOKENIZERS =
      new EnumMap<>(TextCleanup.class);

  @Test
  void tinyVocabularyWithoutFtfyMatchesTransformers() {
    assertPromptsMatch(
        tinyTokenizer(TextCleanup.BASIC), TestVectors.json("tokenizer"), tinyVectors());
  }

  @Test
  void tinyVocabularyWithFtfyMatchesTransformers() {
    assertPromptsMatch(
        tinyTokenizer(TextCleanup.FTFY), TestVectors.json("tokenizer"), tinyVectors());
  }

  @Test
  void realVocabularyWithoutFtfyMatchesTransformers() {
    Path clip = realVocabulary();
    assertPromptsMatch(realTokenizer(clip, TextCleanup.BASIC), realJson(clip), realVectors(clip));
  }

  @Test
  void realVocabularyWithFtfyMatchesTransformersAndOpenAiClip() {
    Path clip = realVocabulary();
    long[] openAi;
    try (SafetensorsFile vectors = SafetensorsFile.open(realVectorsPath(clip))) {
      openAi = vectors.longs("openai_clip_tokenize");
    }
    JsonNode json = realJson(clip);
    ClipTokenizer tokenizer = realTokenizer(clip, TextCleanup.FTFY);
    assertPromptsMatch(tokenizer, json, realVectors(clip));
    // OpenAI's clip.tokenize frames the same ids but pads with 0 instead of eos.
    assertAll(
        forEachPrompt(
            json,
            (row, prompt) ->
                () -> {
                  int[] zeroPadded = tokenizer.encode(prompt);
                  int framed = Math.min(tokenizer.tokens(prompt).size(), zeroPadded.length - 2) + 2;
                  Arrays.fill(zeroPadded, framed, zeroPadded.length, 0);
                  assertArrayEquals(
                      row(openAi, row, zeroPadded.length),
                      zeroPadded,
                      "openai_clip_tokenize of " + quoted(prompt));
                }));
  }

  @Test
  void realVocabularySanityCheckFromTheReadme() {
    ClipTokenizer tokenizer = realTokenizer(realVocabulary(), TextCleanup.BASIC);
    int[] ids = tokenizer.encode(ASTRONAUT);
    assertArrayEquals(ASTRONAUT_IDS, Arrays.copyOf(ids, ASTRONAUT_IDS.length), quoted(ASTRONAUT));
    assertTrue(
        IntStream.range(ASTRONAUT_IDS.length, ids.length).allMatch(i -> ids[i] == 49407),
        "padded with <|endoftext|> = 49407: " + Arrays.toString(ids));
    assertEquals(49408, tokenizer.vocabSize());
  }

  @Test
  void readsLengthAndVocabularySizeFromTheCheckpoint() {
    JsonNode json = TestVectors.json("tokenizer");
    ClipTokenizer tokenizer = tinyTokenizer(TextCleanup.BASIC);
    assertEquals(json.path("model_max_length").asInt(), tokenizer.maxLength());
    assertEquals(json.path("vocab_size").asInt(), tokenizer.vocabSize());
    assertEquals(json.path("model_max_length").asInt(), tokenizer.encode("").length);
  }

  @Test
  void sharedByThreadsGivesTheSameIds() {
    ClipTokenizer tokenizer = tinyTokenizer(TextCleanup.BASIC);
    List<String> prompts = new ArrayList<>();
    TestVectors.json("tokenizer")
        .path("prompts")
        .forEach(p -> prompts.add(p.path("prompt").asText()));
    List<int[]> sequential = prompts.stream().map(tokenizer::encode).toList();
    ClipTokenizer fresh = tinyTokenizer(TextCleanup.BASIC);
    IntStream.range(0, 50 * prompts.size())
        .parallel()
        .forEach(
            i -> {
              int p = i % prompts.size();
              assertArrayEquals(
                  sequential.get(p), fresh.encode(prompts.get(p)), quoted(prompts.get(p)));
            });
  }

  @Test
  void missingMergesIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
    Files.copy(tinyTokenizerDir().resolve("vocab.json"), dir.resolve("vocab.json"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> ClipTokenizer.load(dir));
    assertTrue(
        e.getMessage().contains("merges.txt") && e.getMessage().contains("not found"),
        e.getMessage());
  }

  @Test
  void malformedVocabularyIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
    Files.copy(tinyTokenizerDir().resolve("merges.txt"), dir.resolve("merges.txt"));
    Files.writeString(dir.resolve("vocab.json"), "{\"a\": 1,");
    CheckpointException e = assertThrows(CheckpointException.class, () -> ClipTokenizer.load(dir));
    assertTrue(
        e.getMessage().contains("vocab.json") && e.getMessage().contains("malformed"),
        e.getMessage());
  }

  /**
   * Every prompt of {@code json}: the ids against the safetensors row (input_ids or
   * input_ids_ftfy), and the BPE tokens (tokens or tokens_ftfy) and, without ftfy, the untruncated
   * length against the JSON.
   */
  private static void assertPromptsMatch(
      ClipTokenizer tokenizer, JsonNode json, SafetensorsRows rows) {
    boolean ftfy = tokenizer.cleanup() == TextCleanup.FTFY;
    long[] expectedIds = ftfy ? rows.ftfyIds() : rows.ids();
    assertEquals(
        json.path("prompts").size(),
        rows.count(),
        "prompts in the JSON vs rows in the safetensors");
    assertAll(
        forEachPrompt(
            json,
            (row, prompt) ->
                () -> {
                  JsonNode entry = json.path("prompts").get(row);
                  String what = tokenizer.cleanup() + " " + quoted(prompt);
                  List<String> tokens = tokenizer.tokens(prompt);
                  assertEquals(
                      strings(entry.path(ftfy ? "tokens_ftfy" : "tokens")),
                      tokens,
                      what + ": BPE tokens");
                  if (!ftfy)
                    assertEquals(
                        untruncatedLength(entry),
                        tokens.size() + 2,
                        what + ": untruncated length with specials");
                  assertArrayEquals(
                      row(expectedIds, row, rows.length()),
                      tokenizer.encode(prompt),
                      what + ": ids");
                }));
  }

  private interface PromptCheck {
    Executable check(int row, String prompt);
  }

  private static List<Executable> forEachPrompt(JsonNode json, PromptCheck check) {
    List<Executable> checks = new ArrayList<>();
    JsonNode prompts = json.path("prompts");
    for (int row = 0; row < prompts.size(); row++)
      checks.add(check.check(row, prompts.get(row).path("prompt").asText()));
    return checks;
  }

  /** input_ids and input_ids_ftfy, [prompts, length] I64. */
  private record SafetensorsRows(long[] ids, long[] ftfyIds, int count, int length) {}

  private static SafetensorsRows readRows(SafetensorsFile vectors) {
    long[] shape = vectors.entry("input_ids").shape();
    return new SafetensorsRows(
        vectors.longs("input_ids"),
        vectors.longs("input_ids_ftfy"),
        (int) shape[0],
        (int) shape[1]);
  }

  private static SafetensorsRows tinyVectors() {
    try (SafetensorsFile vectors = TestVectors.vectors("tokenizer")) {
      return readRows(vectors);
    }
  }

  private static SafetensorsRows realVectors(Path clip) {
    try (SafetensorsFile vectors = SafetensorsFile.open(realVectorsPath(clip))) {
      return readRows(vectors);
    }
  }

  private static ClipTokenizer tinyTokenizer(TextCleanup cleanup) {
    return ClipTokenizer.load(tinyTokenizerDir(), cleanup);
  }

  /**
   * Loaded once per cleanup: the 49408-token vocabulary takes a few hundred milliseconds to read.
   */
  private static synchronized ClipTokenizer realTokenizer(Path clip, TextCleanup cleanup) {
    return REAL_TOKENIZERS.computeIfAbsent(
        cleanup, c -> ClipTokenizer.load(clip.resolve("hf-tokenizer"), c));
  }

  private static Path tinyTokenizerDir() {
    return TestVectors.checkpoint().resolve("tokenizer");
  }

  private static Path realVocabulary() {
    Path clip = TestVectors.clipVocab();
    assumeTrue(clip != null, "no clip-vocab/ folder in " + TestVectors.root());
    return clip;
  }

  private static Path realVectorsPath(Path clip) {
    return clip.resolve("vectors").resolve("tokenizer_real_vocab.safetensors");
  }

  private static JsonNode realJson(Path clip) {
    return TestVectors.readJson(clip.resolve("vectors").resolve("tokenizer_real_vocab.json"));
  }

  /** The two sidecars name this field differently. */
  private static int untruncatedLength(JsonNode entry) {
    JsonNode n =
        entry.has("n_tokens_untruncated_with_specials")
            ? entry.get("n_tokens_untruncated_with_specials")
            : entry.get("n_untruncated_with_specials");
    return n.asInt();
  }

  private static int[] row(long[] rows, int row, int length) {
    return Arrays.stream(rows, row * length, (row + 1) * length)
        .mapToInt(Math::toIntExact)
        .toArray();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String quoted(String prompt) {
    String escaped = prompt.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
    return "\"" + (escaped.length() > 60 ? escaped.substring(0, 57) + "..." : escaped) + "\"";
  }
}
