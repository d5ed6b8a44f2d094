package dev.viaspark.via;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.viaspark.diffusion.attention.KeyValue;
import dev.viaspark.diffusion.nn.OwnedArrays;
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
 * A bank read from its folder (see {@link KvBankFiles}) a step at a time, as the denoising loop
 * asks for the steps in order, batch after batch. The first steps that fit in {@code residentBytes}
 * (counted as the files' sizes) stay in memory once loaded; each later step is streamed: loaded
 * when asked for, freed when the next one is loaded. So a bank that fits is read once per session,
 * and a larger one costs at most its own size in memory plus one step. A step file's checksum is
 * verified the first time it is read.
 */
public final class FileKvBank extends BankInfo {
  private final Path dir;
  private final NDManager parent;
  private final List<String> layers = new ArrayList<>();
  private final List<String> checksums = new ArrayList<>();
  private final DataType dtype;
  private final int residentSteps;
  private final boolean[] verified;
  private final List<Map<String, KeyValue>> resident = new ArrayList<>();
  private NDManager residentManager;
  private NDManager streamManager;
  private int streamedStep = -1;
  private Map<String, KeyValue> streamed = Map.of();

  private FileKvBank(Path dir, NDManager parent, JsonNode m, DataType dtype, long residentBytes) {
    super(m.get("steps").asInt(), m.get("branches").asInt(), ints(m.get("anchorFrames")));
    this.dir = dir;
    this.parent = parent;
    m.get("layers").forEach(l -> layers.add(l.get("name").asText()));
    m.get("files").forEach(f -> checksums.add(f.get("sha256").asText()));
    this.dtype = dtype;
    this.verified = new boolean[steps()];
    int fit = 0;
    long used = 0;
    for (int step = 0; step < steps(); step++) {
      Path file = dir.resolve(KvBankFiles.stepFile(step));
      long size;
      try {
        size = Files.size(file);
      } catch (IOException e) {
        break; // reported with its name when the step is read
      }
      if (used + size > residentBytes) break;
      used += size;
      fit++;
    }
    this.residentSteps = fit;
  }

  /** Opens a bank that streams every step (holds one step in memory). */
  public static FileKvBank open(Path dir, NDManager parent, DataType dtype) {
    return open(dir, parent, dtype, 0);
  }

  /**
   * Opens a bank folder, keeping the first steps that fit in {@code residentBytes} in memory once
   * read; a missing or unreadable manifest, or another format, fails with a message naming it.
   */
  public static FileKvBank open(Path dir, NDManager parent, DataType dtype, long residentBytes) {
    Path manifest = dir.resolve("manifest.json");
    if (!Files.isRegularFile(manifest))
      throw new CorruptBankException(dir + ": no K/V bank here (manifest.json missing)");
    JsonNode m;
    try {
      m = KvBankFiles.JSON.readTree(manifest.toFile());
    } catch (IOException e) {
      throw new CorruptBankException(
          manifest + ": unreadable K/V bank manifest: " + e.getMessage());
    }
    if (!KvBankFiles.FORMAT.equals(m.path("format").asText())
        || m.path("version").asInt() != KvBankFiles.VERSION) {
      throw new CorruptBankException(
          manifest + ": not a " + KvBankFiles.FORMAT + " v" + KvBankFiles.VERSION + " manifest");
    }
    int stepFiles = 0;
    for (JsonNode f : m.get("files")) {
      if (f.get("name").asText().equals(KvBankFiles.stepFile(stepFiles))) stepFiles++;
    }
    if (stepFiles != m.get("steps").asInt()) {
      throw new CorruptBankException(
          manifest + ": lists " + stepFiles + " step files for " + m.get("steps") + " steps");
    }
    return new FileKvBank(dir, parent, m, dtype, residentBytes);
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

  /** How many of the first steps stay in memory once read. */
  public int residentSteps() {
    return residentSteps;
  }

  @Override
  public synchronized KeyValue get(int step, String layer) {
    if (step < 0 || step >= steps()) return null;
    if (step < residentSteps) {
      if (residentManager == null) residentManager = parent.newSubManager();
      while (resident.size() <= step) resident.add(load(resident.size(), residentManager));
      return resident.get(step).get(layer);
    }
    if (step != streamedStep) {
      if (streamManager != null) streamManager.close();
      streamManager = parent.newSubManager();
      streamed = load(step, streamManager);
      streamedStep = step;
    }
    return streamed.get(layer);
  }

  private Map<String, KeyValue> load(int step, NDManager manager) {
    Path file = dir.resolve(KvBankFiles.stepFile(step));
    if (!Files.isRegularFile(file))
      throw new CorruptBankException(file + ": K/V bank step file missing");
    if (!verified[step]) {
      try {
        String sum = KvBankFiles.sha256(file);
        if (!sum.equals(checksums.get(step))) {
          throw new CorruptBankException(
              file + ": checksum mismatch (corrupt K/V bank; delete it to rebuild)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": " + e.getMessage(), e);
      }
      verified[step] = true;
    }
    Map<String, KeyValue> entries = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String layer : layers) {
        entries.put(
            layer,
            new KeyValue(tensor(f, layer + ".key", manager), tensor(f, layer + ".value", manager)));
      }
    }
    return entries;
  }

  private NDArray tensor(SafetensorsFile f, String name, NDManager manager) {
    if (!f.tensors().containsKey(name))
      throw new CorruptBankException(f.path() + ": no tensor " + name);
    NDArray x = OwnedArrays.of(manager, f.floats(name), new Shape(f.entry(name).shape()));
    NDArray out = dtype == DataType.FLOAT32 ? x : x.toType(dtype, false);
    // loaded inside a denoising step's scope, but they live until the next step is loaded
    NDScope.unregister(x, out);
    return out;
  }

  @Override
  public synchronized void close() {
    if (streamManager != null) streamManager.close();
    if (residentManager != null) residentManager.close();
    streamManager = null;
    residentManager = null;
    resident.clear();
    streamedStep = -1;
  }
}
