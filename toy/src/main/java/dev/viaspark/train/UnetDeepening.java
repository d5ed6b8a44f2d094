package dev.viaspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.unet.UNetConfig;
import dev.viaspark.diffusion.weights.RandomTensorSource;
import dev.viaspark.diffusion.weights.SafetensorsSource;
import dev.viaspark.diffusion.weights.TensorSource;
import dev.viaspark.storage.TempFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a trained toy model's UNet more layers per block, as a function of its inputs unchanged, so
 * that a fine-tune ({@code train-toy --from}) starts from what the model already does and has room
 * to learn more. Each down block gets new layers after its last (a resnet and, in a cross-attention
 * block, a transformer), and each up block as many new ones after its first; a new layer starts as
 * the identity:
 *
 * <ul>
 *   <li>a resnet's second convolution is zero, so it returns its input (a new up resnet's 1x1
 *       shortcut passes the hidden state through and drops the skip it is given, which is the input
 *       of a new down layer, itself an identity);
 *   <li>a transformer's output projection is zero, so it adds nothing to its residual.
 * </ul>
 *
 * The other weights of a new layer are drawn as {@link RandomTensorSource} draws them, from the
 * seed, so that the gradients reach them once the zeroed weights move. Every weight the model had
 * keeps its value under its new key.
 */
public final class UnetDeepening {
  private static final Pattern LAYER =
      Pattern.compile("(down|up)_blocks\\.(\\d+)\\.(resnets|attentions)\\.(\\d+)\\.(.+)");

  private UnetDeepening() {}

  /**
   * Writes {@code model} with {@code layersPerBlock} layers per UNet block to {@code output} (a new
   * folder, written atomically).
   */
  public static Path deepen(Path model, Path output, int layersPerBlock, long seed)
      throws IOException {
    Path oldWeights = ToyModelLayout.weightsToChange(model, "unet", output);
    Path configFile = model.resolve("unet/config.json");
    UNetConfig old = UNetConfig.read(configFile);
    if (layersPerBlock <= old.layersPerBlock()) {
      throw new IllegalArgumentException(
          "layers per block "
              + layersPerBlock
              + ": the UNet of "
              + model
              + " has "
              + old.layersPerBlock()
              + " already; give more");
    }
    Path staging = output.resolveSibling(output.getFileName() + ".partial");
    TempFolder.deleteTree(staging.toFile());
    ToyTrainer.copyTree(model, staging);
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(configFile.toFile());
    config.put("layers_per_block", layersPerBlock);
    json.writerWithDefaultPrettyPrinter()
        .writeValue(staging.resolve("unet/config.json").toFile(), config);
    try (NDManager manager = NDManager.newBaseManager();
        Deepened source =
            new Deepened(
                new SafetensorsSource(List.of(oldWeights)),
                new RandomTensorSource(seed),
                old.layersPerBlock(),
                layersPerBlock)) {
      new UNet2DConditionModel(
          UNetConfig.read(staging.resolve("unet/config.json")), source, manager, DataType.FLOAT32);
      ToyModelLayout.writeWeights(staging, "unet", source.loaded);
    }
    Files.move(staging, output, StandardCopyOption.ATOMIC_MOVE);
    return output;
  }

  /**
   * The key a tensor of the deepened UNet had before, or null for a tensor of a new layer.
   *
   * @param added layers added per block
   */
  static String oldKey(String key, int oldLayers, int added) {
    Matcher m = LAYER.matcher(key);
    if (!m.matches()) return key;
    int layer = Integer.parseInt(m.group(4));
    int old;
    if (m.group(1).equals("down")) {
      old = layer < oldLayers ? layer : -1;
    } else {
      old = layer == 0 ? 0 : layer <= added ? -1 : layer - added;
    }
    if (old < 0) return null;
    return m.group(1) + "_blocks." + m.group(2) + "." + m.group(3) + "." + old + "." + m.group(5);
  }

  /** The model's tensors under their new keys, new layers' tensors made as identities. */
  private static final class Deepened implements TensorSource {
    private final TensorSource old;
    private final TensorSource random;
    private final int oldLayers;
    private final int added;
    final Map<String, NDArray> loaded = new LinkedHashMap<>();

    Deepened(TensorSource old, TensorSource random, int oldLayers, int layers) {
      this.old = old;
      this.random = random;
      this.oldLayers = oldLayers;
      this.added = layers - oldLayers;
    }

    @Override
    public String describe() {
      return old.describe() + ", deepened";
    }

    @Override
    public long[] shape(String name, long[] expected) {
      String was = oldKey(name, oldLayers, added);
      return was == null ? expected : old.shape(was, expected);
    }

    @Override
    public NDArray load(String name, long[] shape, NDManager manager, DataType dtype) {
      String was = oldKey(name, oldLayers, added);
      NDArray t =
          was != null ? old.load(was, shape, manager, dtype) : newLayer(name, shape, manager);
      loaded.put(name, t);
      return t;
    }

    private NDArray newLayer(String name, long[] shape, NDManager manager) {
      if (name.contains(".conv2.")
          || name.contains(".proj_out.")
          || name.endsWith(".conv_shortcut.bias")) {
        return manager.zeros(new Shape(shape), DataType.FLOAT32);
      }
      if (name.endsWith(".conv_shortcut.weight")) {
        // [out, out + skip, 1, 1]: the hidden state (the first out channels) passes, the skip not
        int out = (int) shape[0], in = (int) shape[1];
        float[] w = new float[out * in];
        for (int c = 0; c < out; c++) w[c * in + c] = 1f;
        return manager.create(w, new Shape(shape));
      }
      return random.load(name, shape, manager, DataType.FLOAT32);
    }

    @Override
    public Set<String> names() {
      return Set.of();
    }

    @Override
    public void close() {
      old.close();
      random.close();
    }
  }
}
