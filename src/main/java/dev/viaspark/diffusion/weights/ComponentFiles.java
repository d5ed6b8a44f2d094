package dev.viaspark.diffusion.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the safetensors files of one component folder of a diffusers checkpoint ({@code unet/},
 * {@code vae/}, {@code text_encoder/}): a single file, its {@code .fp16} variant, or shards listed
 * by an {@code .index.json}.
 */
public final class ComponentFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] STEMS = {"diffusion_pytorch_model", "model"};

  private ComponentFiles() {}

  /**
   * Builds a component from the safetensors files of {@code dir}, which are closed (unmapped)
   * afterwards.
   */
  public static <T> T build(Path dir, Function<TensorSource, T> construct) {
    try (TensorSource source = new SafetensorsSource(find(dir))) {
      return construct.apply(source);
    }
  }

  public static List<Path> find(Path dir) {
    if (!Files.isDirectory(dir))
      throw new CheckpointException(dir + ": component folder not found");
    for (String variant : new String[] {"", ".fp16"}) {
      for (String stem : STEMS) {
        Path single = dir.resolve(stem + variant + ".safetensors");
        if (Files.isRegularFile(single)) return List.of(single);
        Path index = dir.resolve(stem + variant + ".safetensors.index.json");
        if (Files.isRegularFile(index)) return shards(index);
      }
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw new CheckpointException(dir + ": cannot list: " + e.getMessage(), e);
    }
    boolean pickle = names.stream().anyMatch(n -> n.endsWith(".bin") || n.endsWith(".ckpt"));
    throw new CheckpointException(
        dir
            + ": no safetensors weights (looked for diffusion_pytorch_model[.fp16]"
            + ".safetensors, model[.fp16].safetensors and their .index.json)"
            + (pickle
                ? "; only PyTorch pickle files are there, which viaspark does not execute: download the"
                    + " .safetensors files of this model"
                : "")
            + "; folder holds "
            + names);
  }

  private static List<Path> shards(Path index) {
    JsonNode root;
    try {
      root = JSON.readTree(index.toFile());
    } catch (IOException e) {
      throw new CheckpointException(index + ": unreadable shard index: " + e.getMessage(), e);
    }
    JsonNode map = root.get("weight_map");
    if (map == null || !map.isObject()) throw new CheckpointException(index + ": no weight_map");
    Set<String> files = new LinkedHashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); )
      files.add(it.next().getValue().asText());
    List<Path> out = new ArrayList<>();
    for (String f : files) {
      Path p = index.resolveSibling(f);
      if (!Files.isRegularFile(p))
        throw new CheckpointException(index + " lists " + f + ", which is missing");
      out.add(p);
    }
    return out;
  }
}
