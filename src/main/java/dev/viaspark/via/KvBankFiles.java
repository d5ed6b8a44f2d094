package dev.viaspark.via;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.viaspark.diffusion.attention.KeyValue;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The on-disk K/V bank: a folder with one safetensors file per swapped step ({@code
 * step-000.safetensors}, tensors {@code <layer>.key} and {@code <layer>.value}, [branches, anchors
 * x tokens, inner], float16 when the model runs in float16, else float32) and {@code
 * manifest.json}: format and version, dtype, steps, branches, anchor frames, each layer's shape,
 * and each file's size and SHA-256. The folder is written under a temporary name and renamed, so a
 * reader never sees half a bank.
 */
public final class KvBankFiles {
  public static final String FORMAT = "viaspark-kv-bank";
  public static final int VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper();

  private KvBankFiles() {}

  static String stepFile(int step) {
    return String.format("step-%03d.safetensors", step);
  }

  /** A bank's test-time adapter ({@code via.tta}), when it has one. */
  public static final String ADAPTER = "adapter.safetensors";

  /**
   * Writes {@code bank} to the folder {@code dir} (replacing nothing: the folder must not exist).
   */
  public static void write(InMemoryKvBank bank, Path dir, DataType dtype) throws IOException {
    write(bank, dir, dtype, Map.of());
  }

  /**
   * As {@link #write(InMemoryKvBank, Path, DataType)}, with {@code extras} (file name to a local
   * file) copied in and listed, with their checksums, among the bank's files.
   */
  public static void write(InMemoryKvBank bank, Path dir, DataType dtype, Map<String, Path> extras)
      throws IOException {
    String st = dtype == DataType.FLOAT16 ? "F16" : "F32";
    Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + UUID.randomUUID());
    Files.createDirectories(tmp);
    try {
      ObjectNode manifest = JSON.createObjectNode();
      manifest
          .put("format", FORMAT)
          .put("version", VERSION)
          .put("dtype", st)
          .put("steps", bank.steps())
          .put("branches", bank.branches());
      ArrayNode anchors = manifest.putArray("anchorFrames");
      for (int a : bank.anchorFrames()) anchors.add(a);
      ArrayNode layers = manifest.putArray("layers");
      ArrayNode files = manifest.putArray("files");
      for (int t = 0; t < bank.steps(); t++) {
        SafetensorsWriter w =
            new SafetensorsWriter()
                .metadata("format", FORMAT)
                .metadata("step", Integer.toString(t));
        for (Map.Entry<String, KeyValue> e : bank.step(t).entrySet()) {
          add(w, e.getKey() + ".key", e.getValue().key(), st);
          add(w, e.getKey() + ".value", e.getValue().value(), st);
          if (t == 0) {
            ObjectNode layer = layers.addObject().put("name", e.getKey());
            ArrayNode ks = layer.putArray("keyShape");
            for (long d : e.getValue().key().getShape().getShape()) ks.add(d);
            ArrayNode vs = layer.putArray("valueShape");
            for (long d : e.getValue().value().getShape().getShape()) vs.add(d);
          }
        }
        Path file = tmp.resolve(stepFile(t));
        w.write(file);
        files
            .addObject()
            .put("name", stepFile(t))
            .put("bytes", Files.size(file))
            .put("sha256", sha256(file));
      }
      for (Map.Entry<String, Path> extra : new TreeMap<>(extras).entrySet()) {
        Path file = tmp.resolve(extra.getKey());
        Files.copy(extra.getValue(), file);
        files
            .addObject()
            .put("name", extra.getKey())
            .put("bytes", Files.size(file))
            .put("sha256", sha256(file));
      }
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(tmp.resolve("manifest.json").toFile(), manifest);
      Files.createDirectories(dir.getParent());
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(tmp)) deleteTree(tmp);
    }
  }

  private static void add(SafetensorsWriter w, String name, NDArray x, String dtype) {
    w.addFloats(
        name, dtype, x.getShape().getShape(), x.toType(DataType.FLOAT32, false).toFloatArray());
  }

  /**
   * The file {@code name} of the bank in {@code dir} when its manifest lists it, checked against
   * its checksum; null when the bank has none.
   *
   * @throws CorruptBankException when the file is missing or differs from what was published
   */
  public static Path extra(Path dir, String name) {
    try {
      for (JsonNode f : JSON.readTree(dir.resolve("manifest.json").toFile()).get("files")) {
        if (!f.get("name").asText().equals(name)) continue;
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file) || !sha256(file).equals(f.get("sha256").asText()))
          throw new CorruptBankException(file + ": missing or not the file the bank published");
        return file;
      }
      return null;
    } catch (IOException e) {
      throw new CorruptBankException(dir + ": cannot read the bank's manifest: " + e.getMessage());
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  /** The hex SHA-256 of a stream's remaining bytes (does not close it). */
  public static String sha256(InputStream stream) throws IOException {
    try {
      DigestInputStream in = new DigestInputStream(stream, MessageDigest.getInstance("SHA-256"));
      byte[] buf = new byte[1 << 16];
      while (in.read(buf) >= 0) {
        // reading feeds the digest
      }
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      try (var s = Files.list(p)) {
        for (Path c : (Iterable<Path>) s::iterator) deleteTree(c);
      }
    }
    Files.deleteIfExists(p);
  }
}
