package dev.viaspark.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.LayerNorm;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.weights.ComponentFiles;
import dev.viaspark.diffusion.weights.TensorSource;
import dev.viaspark.diffusion.weights.WeightLoading;
import dev.viaspark.diffusion.weights.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * transformers' {@code CLIPTextModel}, the SD 1.x text encoder. Its {@code text_model}
 * (CLIPTextTransformer) and {@code text_model.encoder} (CLIPEncoder, a plain list of layers) are
 * folded into this class; field paths are the checkpoint keys. The pipeline passes no attention
 * mask, so only the causal mask applies and every one of the positions, padding included, is
 * computed.
 */
public final class ClipTextModel {
  /** A buffer transformers stores in the checkpoint; positions are always 0..T-1 here. */
  private static final String POSITION_IDS = "text_model.embeddings.position_ids";

  private final ClipTextConfig config;
  final ClipTextEmbeddings embeddings;
  final ClipEncoderLayer[] layers;
  final LayerNorm finalLayerNorm;
  private final DataType dtype;

  public ClipTextModel(ClipTextConfig cfg, TensorSource source, NDManager manager, DataType dtype) {
    this.config = cfg;
    this.dtype = dtype;
    WeightLoading loading = new WeightLoading("text_encoder", source, manager, dtype);
    Weights textModel = loading.root().child("text_model");
    embeddings = new ClipTextEmbeddings(textModel.child("embeddings"), cfg);
    layers = new ClipEncoderLayer[cfg.numHiddenLayers()];
    for (int i = 0; i < layers.length; i++) {
      layers[i] = new ClipEncoderLayer(textModel.child("encoder").child("layers").child(i), cfg);
    }
    finalLayerNorm =
        new LayerNorm(textModel.child("final_layer_norm"), cfg.hiddenSize(), cfg.layerNormEps());
    loading.finish(POSITION_IDS::equals);
  }

  /**
   * Loads {@code text_encoder/} of a diffusers checkpoint (weights of any stored float dtype, cast
   * to dtype).
   */
  public static ClipTextModel load(Path componentDir, NDManager manager, DataType dtype) {
    ClipTextConfig cfg = ClipTextConfig.read(componentDir.resolve("config.json"));
    return ComponentFiles.build(
        componentDir, source -> new ClipTextModel(cfg, source, manager, dtype));
  }

  public ClipTextConfig config() {
    return config;
  }

  /**
   * The prompt embeddings for token ids as the tokenizer returns them.
   *
   * @param ids [batch][tokens], tokens at most max_position_embeddings (77)
   * @return last_hidden_state [batch, tokens, hidden], owned by {@code manager}
   */
  public NDArray encode(NDManager manager, int[][] ids) {
    long[][] longs = new long[ids.length][];
    for (int b = 0; b < ids.length; b++) longs[b] = Arrays.stream(ids[b]).asLongStream().toArray();
    // the embedding's backward pass keeps the ids
    try (NDArray idArray = OwnedArrays.of(manager, longs)) {
      ClipTextOutput out = forward(idArray);
      out.poolerOutput().close();
      out.hiddenStates().forEach(NDArray::close);
      return out.lastHiddenState();
    }
  }

  /**
   * @param ids [batch, tokens] integer token ids
   * @return every output, owned by the manager of {@code ids}; intermediates are freed
   */
  public ClipTextOutput forward(NDArray ids) {
    Shape shape = ids.getShape();
    if (shape.dimension() != 2
        || shape.get(1) < 1
        || shape.get(1) > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException(
          "token ids must be [batch, 1.." + config.maxPositionEmbeddings() + "], got " + shape);
    }
    int tokens = (int) shape.get(1);
    NDManager owner = ids.getManager();
    try (NDScope scope = new NDScope()) {
      NDArray longIds =
          ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
      long[] flat = longIds.toLongArray();
      for (long id : flat) {
        if (id < 0 || id >= config.vocabSize()) {
          throw new IllegalArgumentException(
              "token id " + id + " is outside the vocabulary of " + config.vocabSize());
        }
      }
      NDArray h = embeddings.forward(longIds);
      List<NDArray> hiddenStates = new ArrayList<>();
      hiddenStates.add(h);
      NDArray mask = causalMask(owner, tokens, dtype);
      for (ClipEncoderLayer layer : layers) {
        h = layer.forward(h, mask);
        hiddenStates.add(h);
      }
      NDArray last = finalLayerNorm.forward(h);
      NDArray pooled = pool(last, flat, tokens);
      List<NDArray> outputs = new ArrayList<>(hiddenStates);
      outputs.add(last);
      outputs.add(pooled);
      for (NDArray o : outputs) {
        NDScope.unregister(o);
        o.attach(owner);
      }
      return new ClipTextOutput(last, pooled, List.copyOf(hiddenStates));
    }
  }

  /** 0 on and below the diagonal, -inf above it: token i sees tokens 0..i. */
  private static NDArray causalMask(NDManager manager, int tokens, DataType dtype) {
    float[] mask = new float[tokens * tokens];
    for (int i = 0; i < tokens; i++) {
      for (int j = i + 1; j < tokens; j++) mask[i * tokens + j] = Float.NEGATIVE_INFINITY;
    }
    NDArray m = OwnedArrays.of(manager, mask, new Shape(tokens, tokens));
    return dtype == DataType.FLOAT32 ? m : m.toType(dtype, false);
  }

  /**
   * transformers 4.33's pooling: with the legacy config eos_token_id 2 (SD 1.x) the end of text is
   * the first position of the largest id (the end-of-text token has the largest id in CLIP's
   * vocabulary); otherwise it is the first position holding eos_token_id.
   */
  private NDArray pool(NDArray last, long[] ids, int tokens) {
    NDList rows = new NDList();
    for (int b = 0; b < ids.length / tokens; b++) {
      rows.add(last.get(b, endOfText(ids, b * tokens, tokens)));
    }
    return NDArrays.stack(rows);
  }

  private int endOfText(long[] ids, int start, int tokens) {
    int at = 0;
    for (int t = 0; t < tokens; t++) {
      long id = ids[start + t];
      if (config.eosTokenId() != 2 && id == config.eosTokenId()) return t;
      if (id > ids[start + at]) at = t;
    }
    return config.eosTokenId() == 2 ? at : 0;
  }
}
