package dev.viaspark.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.viaspark.diffusion.weights.Weights;

/**
 * transformers' {@code CLIPTextEmbeddings}: token embedding plus the learned embedding of positions
 * 0..T-1.
 */
public final class ClipTextEmbeddings {
  final NDArray tokenEmbedding;
  final NDArray positionEmbedding;

  public ClipTextEmbeddings(Weights w, ClipTextConfig cfg) {
    tokenEmbedding = w.child("token_embedding").get("weight", cfg.vocabSize(), cfg.hiddenSize());
    positionEmbedding =
        w.child("position_embedding").get("weight", cfg.maxPositionEmbeddings(), cfg.hiddenSize());
  }

  /**
   * @param ids [batch, tokens] int64
   */
  public NDArray forward(NDArray ids) {
    long tokens = ids.getShape().get(1);
    NDArray embedded =
        Embedding.embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
    return embedded.addi(positionEmbedding.get(new NDIndex("0:{}", tokens)));
  }
}
