package dev.viaspark.diffusion.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@code .safetensors} file: the 8-byte little-endian header length, the JSON header
 * (space-padded to a multiple of 8 bytes, so the data starts aligned), then each tensor's
 * little-endian bytes in the order added. The file appears atomically: it is written beside the
 * target and renamed over it.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Tensor(String name, String dtype, long[] shape, ByteBuffer data) {}

  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final List<Tensor> tensors = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /**
   * A tensor given as raw little-endian bytes of {@code dtype} (e.g. copied from a {@link
   * SafetensorsFile}).
   */
  public SafetensorsWriter add(
      String name, String dtype, long[] shape, ByteBuffer littleEndianData) {
    long count = 1;
    for (long d : shape) count *= d;
    if (littleEndianData.remaining() != count * Dtypes.size(dtype)) {
      throw new IllegalArgumentException(
          name
              + ": "
              + littleEndianData.remaining()
              + " bytes for "
              + dtype
              + Arrays.toString(shape));
    }
    if (!names.add(name)) throw new IllegalArgumentException(name + " added twice");
    tensors.add(new Tensor(name, dtype, shape.clone(), littleEndianData.duplicate()));
    return this;
  }

  /** Float values stored as {@code F32} or {@code F16} (rounded to nearest even). */
  public SafetensorsWriter addFloats(String name, String dtype, long[] shape, float[] values) {
    ByteBuffer data;
    switch (dtype) {
      case "F32" -> {
        data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) data.putFloat(v);
      }
      case "F16" -> {
        data = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) data.putShort(floatToHalf(v));
      }
      default -> throw new IllegalArgumentException(name + ": cannot store floats as " + dtype);
    }
    return add(name, dtype, shape, data.flip());
  }

  public SafetensorsWriter addLongs(String name, long[] shape, long[] values) {
    ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) data.putLong(v);
    return add(name, "I64", shape, data.flip());
  }

  public void write(Path file) throws IOException {
    byte[] header = header();
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(
            ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
        writeFully(ch, ByteBuffer.wrap(header));
        for (Tensor t : tensors) writeFully(ch, t.data.duplicate());
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private byte[] header() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Tensor t : tensors) {
      ObjectNode node = root.putObject(t.name);
      node.put("dtype", t.dtype);
      ArrayNode shape = node.putArray("shape");
      for (long d : t.shape) shape.add(d);
      long end = offset + t.data.remaining();
      node.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = JSON.writeValueAsBytes(root);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) ch.write(buf);
  }

  /**
   * float32 to IEEE 754 half precision, round to nearest even (what {@code tensor.half()} does).
   */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    int e = exp - 127 + 15;
    if (e >= 0x1f) return (short) (sign | 0x7c00);
    if (e <= 0) {
      if (e < -10) return (short) sign; // below half the smallest subnormal
      int m = mant | 0x800000; // implicit leading one
      int shift = 14 - e;
      int half = m >>> shift;
      int rest = m & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (half & 1) != 0)) half++;
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rest = mant & 0x1fff;
    // a carry out of the mantissa correctly bumps the exponent (up to infinity)
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) half++;
    return (short) (sign | half);
  }
}
