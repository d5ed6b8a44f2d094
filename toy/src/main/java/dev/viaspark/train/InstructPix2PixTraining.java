package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.clip.ClipTextConfig;
import dev.viaspark.diffusion.clip.ClipTextModel;
import dev.viaspark.diffusion.nn.OwnedArrays;
import dev.viaspark.diffusion.schedulers.TrainingSchedule;
import dev.viaspark.diffusion.train.Adam;
import dev.viaspark.diffusion.train.TrainingStep;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.unet.UNetConfig;
import dev.viaspark.diffusion.weights.TensorSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a UNet and text encoder as InstructPix2Pix does (Brooks et al., section 3.2): the UNet
 * predicts the noise added to the edited image's latents, given the source image's latents
 * (concatenated to its input) and the instruction's embeddings. The caller drops conditioning per
 * example (an empty instruction, zero image latents, or both), so that the model also learns the
 * unconditional predictions classifier-free guidance needs.
 *
 * <p>The loss is weighted by min-SNR-5 (Hang et al., 2023): high-signal timesteps, which are easy,
 * count less, which speeds training up without changing what the model learns to predict.
 */
public final class InstructPix2PixTraining implements AutoCloseable {
  static final float MIN_SNR_GAMMA = 5f;

  private final TrainableTensors unetTensors;
  private final TrainableTensors textTensors;
  private final UNet2DConditionModel unet;
  private final ClipTextModel textEncoder;
  private final TrainingSchedule schedule;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final Adam adam = Adam.defaults();
  private float lastGroundingLoss = Float.NaN;

  public InstructPix2PixTraining(
      Path unetConfig,
      TensorSource unetInit,
      Path textConfig,
      TensorSource textInit,
      TrainingSchedule schedule,
      NDManager manager) {
    this.unetTensors = new TrainableTensors(unetInit);
    this.textTensors = new TrainableTensors(textInit);
    this.unet =
        TrainingStep.building(
            () ->
                new UNet2DConditionModel(
                    UNetConfig.read(unetConfig), unetTensors, manager, DataType.FLOAT32));
    this.textEncoder =
        TrainingStep.building(
            () ->
                new ClipTextModel(
                    ClipTextConfig.read(textConfig), textTensors, manager, DataType.FLOAT32));
    this.schedule = schedule;
    unetTensors.parameters().forEach((k, v) -> parameters.put("unet." + k, v));
    textTensors.parameters().forEach((k, v) -> parameters.put("text_encoder." + k, v));
  }

  /**
   * One step.
   *
   * @param latents the edited images' latents, scaled by the VAE's scaling factor [B, latent
   *     channels, h, w]
   * @param imageLatents the source images' latents, unscaled as the pipeline passes them (zeros
   *     where dropped)
   * @param tokenIds the instructions' token ids (the empty instruction's where dropped)
   * @param timesteps one training timestep per example
   * @param noise standard normal, shaped as {@code latents}
   * @param pixelWeights per latent pixel weights of the squared error [B, 1, h, w], or null for a
   *     plain mean
   * @param grounding the batch's cross-attention grounding, or null for none: a second forward pass
   *     on the noised source latents (same noise and timesteps) records it
   * @param groundingWeight the weight of the grounding loss added to the noise prediction's
   * @return the loss before the update (with the grounding term, weighted)
   */
  public float step(
      NDArray latents,
      NDArray imageLatents,
      int[][] tokenIds,
      int[] timesteps,
      NDArray noise,
      NDArray pixelWeights,
      AttentionGrounding grounding,
      float groundingWeight,
      float lr) {
    NDManager m = latents.getManager();
    int batch = timesteps.length;
    float[] signal = new float[batch];
    float[] noiseShare = new float[batch];
    float[] weight = new float[batch];
    float[] t = new float[batch];
    for (int i = 0; i < batch; i++) {
      float a = schedule.alphaCumprod(timesteps[i]);
      signal[i] = (float) Math.sqrt(a);
      noiseShare[i] = (float) Math.sqrt(1 - a);
      float snr = a / (1 - a);
      weight[i] = Math.min(snr, MIN_SNR_GAMMA) / snr;
      t[i] = timesteps[i];
    }
    NDArray signals = perExample(m, signal), noiseShares = perExample(m, noiseShare);
    NDArray noisy = latents.mul(signals).add(noise.mul(noiseShares));
    NDArray input = NDArrays.concat(new NDList(noisy, imageLatents), 1);
    NDArray tArray = OwnedArrays.of(m, t);
    NDArray w = perExample(m, weight);
    NDArray groundingInput =
        grounding == null
            ? null
            : NDArrays.concat(
                new NDList(
                    grounding.sourceLatents().mul(signals).add(noise.mul(noiseShares)),
                    imageLatents),
                1);
    return TrainingStep.run(
        parameters,
        adam,
        lr,
        VaeTraining.MAX_GRAD_NORM,
        () -> {
          NDArray context = textEncoder.encode(m, tokenIds);
          NDArray predicted = unet.forward(input, tArray, context, AttentionContext.none(0));
          NDArray error = predicted.sub(noise).square().mul(w);
          NDArray loss = (pixelWeights == null ? error : error.mul(pixelWeights)).mean();
          lastGroundingLoss = Float.NaN;
          if (grounding == null) return loss;
          unet.forward(groundingInput, tArray, context, grounding.context(batch));
          NDArray groundingLoss = grounding.loss();
          lastGroundingLoss = groundingLoss.getFloat();
          return loss.add(groundingLoss.mul(groundingWeight));
        });
  }

  /** The grounding loss (unweighted) of the last step, NaN when it had none. */
  public float lastGroundingLoss() {
    return lastGroundingLoss;
  }

  private static NDArray perExample(NDManager m, float[] values) {
    return OwnedArrays.of(m, values).reshape(values.length, 1, 1, 1);
  }

  /**
   * Every parameter: the UNet's as {@code unet.KEY}, the text encoder's as {@code
   * text_encoder.KEY}.
   */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  public Map<String, NDArray> unetParameters() {
    return unetTensors.parameters();
  }

  public Map<String, NDArray> textEncoderParameters() {
    return textTensors.parameters();
  }

  /** The optimizer, whose state a resumable run saves and restores. */
  public Adam optimizer() {
    return adam;
  }

  @Override
  public void close() {
    adam.close();
  }
}
