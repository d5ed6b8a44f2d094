package dev.viaspark.diffusion.clip;

import dev.viaspark.diffusion.ConfigJson;
import java.nio.file.Path;

/** The structure of a transformers {@code CLIPTextModel}, from {@code text_encoder/config.json}. */
public record ClipTextConfig(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int maxPositionEmbeddings,
    int vocabSize,
    String hiddenAct,
    float layerNormEps,
    int eosTokenId) {

  public static ClipTextConfig read(Path file) {
    return from(ConfigJson.read(file));
  }

  public static ClipTextConfig from(ConfigJson c) {
    int hidden = positive(c, "hidden_size");
    int heads = positive(c, "num_attention_heads");
    if (hidden % heads != 0) {
      throw c.bad("num_attention_heads", "a divisor of hidden_size (" + hidden + ")", heads);
    }
    String act = c.string("hidden_act", null);
    if (act == null) throw missing(c, "hidden_act");
    if (!act.equals("quick_gelu") && !act.equals("gelu"))
      throw c.bad("hidden_act", "\"quick_gelu\" or \"gelu\"", act);
    if (!c.has("layer_norm_eps")) throw missing(c, "layer_norm_eps");
    double eps = c.number("layer_norm_eps", 0);
    if (!(eps > 0)) throw c.bad("layer_norm_eps", "a positive number", eps);
    return new ClipTextConfig(
        hidden,
        positive(c, "intermediate_size"),
        positive(c, "num_hidden_layers"),
        heads,
        positive(c, "max_position_embeddings"),
        positive(c, "vocab_size"),
        act,
        (float) eps,
        c.integer("eos_token_id", 2));
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  private static int positive(ConfigJson c, String key) {
    int v = c.integer(key);
    if (v <= 0) throw c.bad(key, "a positive integer", v);
    return v;
  }

  private static IllegalArgumentException missing(ConfigJson c, String key) {
    return new IllegalArgumentException(c.source() + ": missing key \"" + key + "\"");
  }
}
