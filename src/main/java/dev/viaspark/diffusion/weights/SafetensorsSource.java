package dev.viaspark.diffusion.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.viaspark.diffusion.nn.OwnedArrays;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of one or more safetensors files (the shards of one model). float16 data goes to DJL
 * as float16 and is cast there; bfloat16 and float64 are converted to float32 in Java first,
 * because DJL cannot take bfloat16.
 */
public final class SafetensorsSource implements TensorSource {
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> byName = new LinkedHashMap<>();

  public SafetensorsSource(List<Path> paths) {
    files = new ArrayList<>();
    try {
      for (Path p : paths) {
        SafetensorsFile f = SafetensorsFile.open(p);
        files.add(f);
        for (String name : f.tensors().keySet()) {
          SafetensorsFile previous = byName.putIfAbsent(name, f);
          if (previous != null) {
            throw new CheckpointException(
                "tensor " + name + " is in both " + previous.path() + " and " + p);
          }
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String describe() {
    return files.size() == 1
        ? files.get(0).path().toString()
        : files.size() + " shards in " + files.get(0).path().getParent();
  }

  @Override
  public long[] shape(String name, long[] expected) {
    SafetensorsFile f = byName.get(name);
    return f == null ? null : f.entry(name).shape();
  }

  @Override
  public NDArray load(String name, long[] shape, NDManager manager, DataType dtype) {
    SafetensorsFile f = byName.get(name);
    TensorEntry e = f.entry(name);
    ByteBuffer data = f.bytes(name);
    int count = Math.toIntExact(e.elementCount());
    NDArray raw =
        switch (e.dtype()) {
          case "F32" -> OwnedArrays.of(manager, data, new Shape(shape), DataType.FLOAT32);
          case "F16" -> OwnedArrays.of(manager, data, new Shape(shape), DataType.FLOAT16);
          default ->
              OwnedArrays.of(
                  manager,
                  Dtypes.toFloat32Buffer(data, e.dtype(), count, f.path() + ": " + name),
                  new Shape(shape),
                  DataType.FLOAT32);
        };
    if (raw.getDataType() == dtype) return raw;
    NDArray cast = raw.toType(dtype, false);
    raw.close();
    return cast;
  }

  @Override
  public Set<String> names() {
    return Collections.unmodifiableSet(byName.keySet());
  }

  @Override
  public void close() {
    for (SafetensorsFile f : files) f.close();
  }
}
