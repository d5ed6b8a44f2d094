package dev.viaspark.job.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.ConfigJson;
import dev.viaspark.diffusion.unet.UNet2DConditionModel;
import dev.viaspark.diffusion.unet.UNetConfig;
import dev.viaspark.diffusion.weights.RandomTensorSource;
import dev.viaspark.diffusion.weights.SafetensorsWriter;
import dev.viaspark.diffusion.weights.TensorSource;
import dev.viaspark.storage.TempFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A diffusers folder for benchmarks at a size no offline checkpoint has: every component copied
 * from a real folder except the UNet, which gets the given {@code config.json} and seeded random
 * weights (float32). Random weights run at the same speed as trained ones.
 */
public final class RandomUnetCheckpoint {
  private RandomUnetCheckpoint() {}

  /** Writes the folder and returns the UNet's parameter count. */
  static long write(Path from, Path unetConfig, Path output, long seed) throws IOException {
    if (!Files.isDirectory(from.resolve("unet"))) {
      throw new IllegalArgumentException(from + " is not a diffusers folder (no unet/)");
    }
    if (Files.exists(output)) throw new IllegalArgumentException(output + " exists already");
    UNetConfig cfg = UNetConfig.from(ConfigJson.read(unetConfig));
    Path tmp = Files.createTempDirectory(output.toAbsolutePath().getParent(), ".random-ckpt");
    long[] params = {0};
    try {
      copyTree(from, tmp);
      Path unet = tmp.resolve("unet");
      try (Stream<Path> old = Files.list(unet)) {
        for (Path p : old.toList()) Files.delete(p);
      }
      Files.copy(unetConfig, unet.resolve("config.json"));
      SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
      try (NDManager manager = NDManager.newBaseManager();
          TensorSource source = new RecordingSource(new RandomTensorSource(seed), writer, params)) {
        new UNet2DConditionModel(cfg, source, manager, DataType.FLOAT32);
      }
      writer.write(unet.resolve("diffusion_pytorch_model.safetensors"));
      Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      TempFolder.deleteTree(tmp.toFile()); // only left when something failed
    }
    return params[0];
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Hands out the random tensors and keeps a float32 copy of each for the writer. */
  private record RecordingSource(TensorSource random, SafetensorsWriter writer, long[] params)
      implements TensorSource {
    @Override
    public String describe() {
      return random.describe();
    }

    @Override
    public long[] shape(String name, long[] expected) {
      return random.shape(name, expected);
    }

    @Override
    public NDArray load(String name, long[] shape, NDManager manager, DataType dtype) {
      NDArray a = random.load(name, shape, manager, DataType.FLOAT32);
      writer.addFloats(name, "F32", shape, a.toFloatArray());
      params[0] += a.size();
      return a;
    }

    @Override
    public Set<String> names() {
      return random.names();
    }

    @Override
    public void close() {
      random.close();
    }
  }
}
