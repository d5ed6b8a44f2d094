package dev.viaspark.diffusion.clip;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What {@link ClipTextModel#forward} returns, as transformers names it.
 *
 * @param lastHiddenState [batch, tokens, hidden], the final layer norm's output (the pipeline's
 *     prompt_embeds)
 * @param poolerOutput [batch, hidden], the row of lastHiddenState at each sequence's end-of-text
 *     position
 * @param hiddenStates the embeddings, then each encoder layer's output (before the final layer
 *     norm)
 */
public record ClipTextOutput(
    NDArray lastHiddenState, NDArray poolerOutput, List<NDArray> hiddenStates)
    implements AutoCloseable {
  @Override
  public void close() {
    lastHiddenState.close();
    poolerOutput.close();
    hiddenStates.forEach(NDArray::close);
  }
}
