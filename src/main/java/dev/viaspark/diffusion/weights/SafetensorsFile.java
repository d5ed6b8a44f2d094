package dev.viaspark.diffusion.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the data. Tensors are memory-mapped one at a time, so
 * files of any size (the 3.4 GB fp32 UNet) are read without holding them in the Java heap.
 */
public final class SafetensorsFile implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorEntry> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path path,
      FileChannel channel,
      long dataStart,
      Map<String, TensorEntry> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  public static SafetensorsFile open(Path path) {
    FileChannel ch = null;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
      long size = ch.size();
      if (size < 8)
        throw new CheckpointException(path + ": not a safetensors file (" + size + " bytes)");
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0);
      long headerLength = len.getLong(0);
      if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > size) {
        throw new CheckpointException(
            path + ": not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(ch, header, 8);
      JsonNode root = JSON.readTree(header.array());
      long dataStart = 8 + headerLength;
      long dataSize = size - dataStart;
      Map<String, TensorEntry> tensors = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          e.getValue()
              .fields()
              .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        JsonNode t = e.getValue();
        JsonNode shapeNode = t.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong();
        TensorEntry entry =
            new TensorEntry(
                e.getKey(),
                t.get("dtype").asText(),
                shape,
                t.get("data_offsets").get(0).asLong(),
                t.get("data_offsets").get(1).asLong());
        if (entry.end() > dataSize || entry.begin() < 0 || entry.end() < entry.begin()) {
          throw new CheckpointException(
              path + ": tensor " + entry.name() + " lies outside the file (truncated?)");
        }
        if (entry.byteSize() != entry.elementCount() * entry.bytesPerElement()) {
          throw new CheckpointException(
              path
                  + ": tensor "
                  + entry.name()
                  + " has "
                  + entry.byteSize()
                  + " bytes for shape "
                  + Arrays.toString(shape)
                  + " of "
                  + entry.dtype());
        }
        tensors.put(e.getKey(), entry);
      }
      return new SafetensorsFile(
          path,
          ch,
          dataStart,
          Collections.unmodifiableMap(tensors),
          Collections.unmodifiableMap(metadata));
    } catch (IOException e) {
      closeQuietly(ch);
      throw new CheckpointException(
          path + ": cannot read safetensors header: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  public Map<String, TensorEntry> tensors() {
    return tensors;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public TensorEntry entry(String name) {
    TensorEntry e = tensors.get(name);
    if (e == null) throw new CheckpointException(path + ": no tensor named " + name);
    return e;
  }

  /** The tensor's raw little-endian bytes, memory-mapped (read-only). */
  public ByteBuffer bytes(String name) {
    TensorEntry e = entry(name);
    try {
      if (e.byteSize() == 0) return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
      return channel
          .map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteSize())
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException ex) {
      throw new UncheckedIOException(path + ": cannot map tensor " + name, ex);
    }
  }

  /** The tensor as float32 values (F32, F16, BF16, F64 and integer dtypes are converted). */
  public float[] floats(String name) {
    TensorEntry e = entry(name);
    return Dtypes.toFloats(
        bytes(name), e.dtype(), Math.toIntExact(e.elementCount()), path + ": " + name);
  }

  /** The tensor as long values (I64, I32, U8, ...). */
  public long[] longs(String name) {
    TensorEntry e = entry(name);
    return Dtypes.toLongs(
        bytes(name), e.dtype(), Math.toIntExact(e.elementCount()), path + ": " + name);
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, position + buf.position());
      if (n < 0) throw new IOException("unexpected end of file");
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      if (ch != null) ch.close();
    } catch (IOException ignored) {
      // nothing to recover
    }
  }
}
