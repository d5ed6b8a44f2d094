package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import dev.viaspark.toy.ToyFrame;
import dev.viaspark.toy.ToyInstruction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The architecture of the toy InstructPix2Pix model and the diffusers folder it is stored in: the
 * Stable Diffusion 1.x structure (AutoencoderKL, UNet2DConditionModel with 8 input channels,
 * CLIPTextModel, an Euler ancestral scheduler over the SD 1.x noise schedule) at a size that trains
 * on two CPU cores within the hour.
 *
 * <ul>
 *   <li>VAE: three blocks (32, 64, 64 channels), so a 64x64 frame has 16x16x8 latents: a 4x4 pixel
 *       cell per latent, fine enough for the smallest shapes the toy domain draws.
 *   <li>UNet: three blocks (32, 64, 64 channels) at 16, 8 and 4 latent pixels, self- and
 *       cross-attention in the two finer ones and in the middle, 4 heads, one resnet per block.
 *   <li>Text encoder: 2 layers of width 64 over the grammar's BPE vocabulary, 16 token positions
 *       (the longest instruction is four words).
 * </ul>
 */
public final class ToyModelLayout {
  static final int LATENT_CHANNELS = 8;
  static final int TEXT_WIDTH = 64;
  static final int TOKENS = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ToyModelLayout() {}

  /** The grammar's vocabulary: a BPE learned from every instruction the toy grammar can say. */
  public static GrammarBpe vocabulary() {
    List<String> sentences = new ArrayList<>();
    for (ToyInstruction i : ToyInstruction.all()) sentences.add(i.text());
    return GrammarBpe.learn(sentences);
  }

  /**
   * Writes everything but the weights: model_index.json, scheduler/, tokenizer/ and the config.json
   * of vae/, unet/ and text_encoder/.
   *
   * @param vaeScalingFactor the VAE's {@code scaling_factor}: 1 / the standard deviation of its
   *     latents, once known
   */
  public static void writeConfigs(Path dir, GrammarBpe vocabulary, double vaeScalingFactor)
      throws IOException {
    Files.createDirectories(dir);
    write(dir.resolve("model_index.json"), modelIndex());
    write(dir.resolve("scheduler/scheduler_config.json"), scheduler());
    write(dir.resolve("vae/config.json"), vae(vaeScalingFactor));
    write(dir.resolve("unet/config.json"), unet());
    writeWords(dir, vocabulary);
  }

  /** Writes tokenizer/ and the text encoder's config.json, sized for {@code vocabulary}. */
  static void writeWords(Path dir, GrammarBpe vocabulary) throws IOException {
    vocabulary.write(dir.resolve("tokenizer"), TOKENS);
    write(dir.resolve("text_encoder/config.json"), textEncoder(vocabulary.vocabSize()));
  }

  /**
   * Copies everything of a trained toy model but its weights (model_index.json, scheduler/,
   * tokenizer/ and each component's config.json), so that a fine-tune keeps the model's layout.
   */
  public static void copyConfigs(Path model, Path dir) throws IOException {
    List<String> files = new ArrayList<>(List.of("model_index.json"));
    for (String c : List.of("vae", "unet", "text_encoder")) files.add(c + "/config.json");
    for (String folder : List.of("scheduler", "tokenizer")) {
      try (var listing = Files.list(model.resolve(folder))) {
        listing
            .filter(Files::isRegularFile)
            .forEach(f -> files.add(folder + "/" + f.getFileName()));
      }
    }
    for (String f : files) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.copy(model.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * The safetensors file of a component: {@code model.safetensors} for the text encoder, as
   * transformers names it.
   */
  public static Path weightsFile(Path dir, String component) {
    return dir.resolve(component)
        .resolve(
            component.equals("text_encoder")
                ? "model.safetensors"
                : "diffusion_pytorch_model.safetensors");
  }

  /**
   * The weights of {@code model}'s {@code component}, for a changed copy of the model to be written
   * to {@code output}: fails when the output exists or the model has no such weights.
   */
  static Path weightsToChange(Path model, String component, Path output) throws IOException {
    if (Files.exists(output))
      throw new IOException(output + ": already exists; choose a new output folder");
    Path weights = weightsFile(model, component);
    if (!Files.isRegularFile(weights))
      throw new IOException(model + ": not a toy model (no " + model.relativize(weights) + ")");
    return weights;
  }

  /**
   * Writes a component's parameters (float32, by checkpoint key) to its safetensors file,
   * atomically.
   */
  public static void writeWeights(Path dir, String component, Map<String, NDArray> parameters)
      throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
    for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
      writer.addFloats(
          p.getKey(), "F32", p.getValue().getShape().getShape(), p.getValue().toFloatArray());
    }
    writer.write(weightsFile(dir, component));
  }

  private static void write(Path file, ObjectNode node) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n",
        StandardCharsets.UTF_8);
  }

  private static ObjectNode modelIndex() {
    ObjectNode n = JSON.createObjectNode();
    n.put("_class_name", "StableDiffusionInstructPix2PixPipeline")
        .put("_diffusers_version", "0.24.0");
    pair(n, "scheduler", "diffusers", "EulerAncestralDiscreteScheduler");
    pair(n, "text_encoder", "transformers", "CLIPTextModel");
    pair(n, "tokenizer", "transformers", "CLIPTokenizer");
    pair(n, "unet", "diffusers", "UNet2DConditionModel");
    pair(n, "vae", "diffusers", "AutoencoderKL");
    n.putArray("safety_checker").addNull().addNull();
    n.putArray("feature_extractor").addNull().addNull();
    n.put("requires_safety_checker", false);
    return n;
  }

  private static void pair(ObjectNode n, String key, String library, String className) {
    n.putArray(key).add(library).add(className);
  }

  private static ObjectNode scheduler() {
    ObjectNode n = JSON.createObjectNode();
    n.put("_class_name", "EulerAncestralDiscreteScheduler")
        .put("num_train_timesteps", 1000)
        .put("beta_start", 0.00085)
        .put("beta_end", 0.012)
        .put("beta_schedule", "scaled_linear")
        .put("prediction_type", "epsilon")
        .put("steps_offset", 1)
        .put("timestep_spacing", "leading")
        // as Stable Diffusion's own scheduler configs: diffusers' defaults (clip x0 to [-1, 1], a
        // final alpha of 1)
        // would let a DDIM or PNDM scheduler built from this file clamp latents whose spread is
        // about 1.2
        .put("clip_sample", false)
        .put("set_alpha_to_one", false)
        .put("skip_prk_steps", true);
    return n;
  }

  private static ObjectNode vae(double scalingFactor) {
    ObjectNode n = JSON.createObjectNode();
    n.put("_class_name", "AutoencoderKL")
        .put("act_fn", "silu")
        .put("in_channels", 3)
        .put("out_channels", 3)
        .put("latent_channels", LATENT_CHANNELS)
        .put("layers_per_block", 1)
        .put("norm_num_groups", 8)
        .put("sample_size", ToyFrame.SIZE)
        .put("scaling_factor", scalingFactor);
    ints(n.putArray("block_out_channels"), 32, 64, 64);
    repeat(n.putArray("down_block_types"), "DownEncoderBlock2D", 3);
    repeat(n.putArray("up_block_types"), "UpDecoderBlock2D", 3);
    return n;
  }

  private static ObjectNode unet() {
    ObjectNode n = JSON.createObjectNode();
    n.put("_class_name", "UNet2DConditionModel")
        .put("act_fn", "silu")
        .put("in_channels", 2 * LATENT_CHANNELS)
        .put("out_channels", LATENT_CHANNELS)
        .put("layers_per_block", 1)
        .put("norm_num_groups", 8)
        .put("norm_eps", 1e-5)
        .put("attention_head_dim", 4)
        .put("cross_attention_dim", TEXT_WIDTH)
        .put("sample_size", ToyFrame.SIZE / 4)
        .put("flip_sin_to_cos", true)
        .put("freq_shift", 0)
        .put("downsample_padding", 1)
        .put("mid_block_scale_factor", 1)
        .put("center_input_sample", false)
        .put("use_linear_projection", false)
        .put("upcast_attention", false)
        .put("only_cross_attention", false)
        .put("mid_block_type", "UNetMidBlock2DCrossAttn")
        .put("resnet_time_scale_shift", "default");
    ints(n.putArray("block_out_channels"), 32, 64, 64);
    n.putArray("down_block_types")
        .add("CrossAttnDownBlock2D")
        .add("CrossAttnDownBlock2D")
        .add("DownBlock2D");
    n.putArray("up_block_types")
        .add("UpBlock2D")
        .add("CrossAttnUpBlock2D")
        .add("CrossAttnUpBlock2D");
    return n;
  }

  private static ObjectNode textEncoder(int vocabSize) {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("architectures").add("CLIPTextModel");
    n.put("model_type", "clip_text_model")
        .put("hidden_act", "quick_gelu")
        .put("hidden_size", TEXT_WIDTH)
        .put("intermediate_size", 4 * TEXT_WIDTH)
        .put("num_attention_heads", 4)
        .put("num_hidden_layers", 2)
        .put("max_position_embeddings", TOKENS)
        .put("vocab_size", vocabSize)
        .put("layer_norm_eps", 1e-5)
        .put("projection_dim", TEXT_WIDTH)
        .put("bos_token_id", vocabSize - 2)
        .put("eos_token_id", vocabSize - 1)
        .put("pad_token_id", vocabSize - 1)
        .put("torch_dtype", "float32");
    return n;
  }

  private static void ints(ArrayNode a, int... values) {
    for (int v : values) a.add(v);
  }

  private static void repeat(ArrayNode a, String value, int times) {
    for (int i = 0; i < times; i++) a.add(value);
  }
}
