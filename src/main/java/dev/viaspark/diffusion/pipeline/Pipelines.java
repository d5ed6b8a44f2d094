package dev.viaspark.diffusion.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded pipeline per (model folder, device, dtype, attention chunk) per JVM, loaded on first
 * use.
 */
public final class Pipelines {
  private static final Map<String, InstructPix2PixPipeline> LOADED = new ConcurrentHashMap<>();

  private Pipelines() {}

  public static InstructPix2PixPipeline shared(
      Path folder, Device device, DataType dtype, int queryChunk) {
    String key =
        folder.toAbsolutePath().normalize() + "|" + device + "|" + dtype + "|" + queryChunk;
    return LOADED.computeIfAbsent(
        key, k -> InstructPix2PixPipeline.load(folder, device, dtype, queryChunk));
  }
}
