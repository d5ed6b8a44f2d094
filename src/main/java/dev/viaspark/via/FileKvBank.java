package dev.viaspark.via;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.viaspark.diffusion.attention.KeyValue;
import dev.viaspark.diffusion.weights.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bank read from its folder (see {@link KvBankFiles}) one step at a time: a step is loaded (and its checksum
 * verified) when first asked for, and the previous step is freed, so memory holds one step of the bank. Steps are
 * asked for in order by the denoising loop; asking for an earlier step reloads it.
 */
public final class FileKvBank extends BankInfo {
  private final Path dir;
  private final NDManager parent;
  private final List<String> layers = new ArrayList<>();
  private final List<String> checksums = new ArrayList<>();
  private final DataType dtype;
  private NDManager stepManager;
  private int loadedStep = -1;
  private Map<String, KeyValue> loaded = Map.of();

  private FileKvBank(Path dir, NDManager parent, JsonNode m, DataType dtype) {
    super(m.get("steps").asInt(), m.get("branches").asInt(), ints(m.get("anchorFrames")));
    this.dir = dir;
    this.parent = parent;
    m.get("layers").forEach(l -> layers.add(l.get("name").asText()));
    m.get("files").forEach(f -> checksums.add(f.get("sha256").asText()));
    this.dtype = dtype;
  }

  /** Opens a bank folder; a missing or unreadable manifest, or another format, fails with a message naming it. */
  public static FileKvBank open(Path dir, NDManager parent, DataType dtype) {
    Path manifest = dir.resolve("manifest.json");
    if (!Files.isRegularFile(manifest)) throw new CorruptBankException(dir + ": no K/V bank here (manifest.json missing)");
    JsonNode m;
    try {
      m = KvBankFiles.JSON.readTree(manifest.toFile());
    } catch (IOException e) {
      throw new CorruptBankException(manifest + ": unreadable K/V bank manifest: " + e.getMessage());
    }
    if (!KvBankFiles.FORMAT.equals(m.path("format").asText()) || m.path("version").asInt() != KvBankFiles.VERSION) {
      throw new CorruptBankException(manifest + ": not a " + KvBankFiles.FORMAT + " v" + KvBankFiles.VERSION + " manifest");
    }
    if (m.get("files").size() != m.get("steps").asInt()) {
      throw new CorruptBankException(manifest + ": lists " + m.get("files").size() + " files for " + m.get("steps") + " steps");
    }
    return new FileKvBank(dir, parent, m, dtype);
  }

  private static int[] ints(JsonNode list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) out[i] = list.get(i).asInt();
    return out;
  }

  @Override
  public List<String> layers() {
    return List.copyOf(layers);
  }

  @Override
  public synchronized KeyValue get(int step, String layer) {
    if (step < 0 || step >= steps()) return null;
    if (step != loadedStep) load(step);
    return loaded.get(layer);
  }

  private void load(int step) {
    if (stepManager != null) stepManager.close();
    stepManager = parent.newSubManager();
    Path file = dir.resolve(KvBankFiles.stepFile(step));
    try {
      if (!Files.isRegularFile(file)) throw new CorruptBankException(file + ": K/V bank step file missing");
      String sum = KvBankFiles.sha256(file);
      if (!sum.equals(checksums.get(step))) {
        throw new CorruptBankException(file + ": checksum mismatch (corrupt K/V bank; delete it to rebuild)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    Map<String, KeyValue> entries = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String layer : layers) {
        entries.put(layer, new KeyValue(tensor(f, layer + ".key"), tensor(f, layer + ".value")));
      }
    }
    loaded = entries;
    loadedStep = step;
  }

  private NDArray tensor(SafetensorsFile f, String name) {
    if (!f.tensors().containsKey(name)) throw new CorruptBankException(f.path() + ": no tensor " + name);
    NDArray x = stepManager.create(f.floats(name), new Shape(f.entry(name).shape()));
    NDArray out = dtype == DataType.FLOAT32 ? x : x.toType(dtype, false);
    // loaded inside a denoising step's scope, but they live until the next step is loaded
    NDScope.unregister(x, out);
    return out;
  }

  @Override
  public synchronized void close() {
    if (stepManager != null) stepManager.close();
    stepManager = null;
    loadedStep = -1;
  }
}
