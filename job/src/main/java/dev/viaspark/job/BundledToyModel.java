package dev.viaspark.job;

import dev.viaspark.storage.TempFolder;
import dev.viaspark.via.KvBankFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The toy InstructPix2Pix model trained by {@code viaspark train-toy} and committed under {@code
 * models/toy-ip2p}: the job jar carries it, and the demo unpacks it into a diffusers folder the
 * editor loads like any other.
 */
final class BundledToyModel {
  static final String RESOURCE = "viaspark/models/toy-ip2p/";
  static final List<String> FILES =
      List.of(
          "model_index.json",
          "scheduler/scheduler_config.json",
          "tokenizer/vocab.json",
          "tokenizer/merges.txt",
          "tokenizer/tokenizer_config.json",
          "tokenizer/special_tokens_map.json",
          "vae/config.json",
          "vae/diffusion_pytorch_model.safetensors",
          "unet/config.json",
          "unet/diffusion_pytorch_model.safetensors",
          "text_encoder/config.json",
          "text_encoder/model.safetensors",
          "train.json",
          "train-log.tsv",
          "loss.png");

  private BundledToyModel() {}

  /**
   * Unpacks the model into a folder of {@code parent} named after it, {@code model-<id>}, where the
   * id is taken from the bundled train.json's checksum (complete or not at all) unless it is
   * already there; returns that folder. A jar with another model unpacks it beside the old one, so
   * that a demo rerun after an upgrade edits with the new model: the folder's name is part of the
   * job's settings, and a rerun with the same settings would skip the video as done.
   */
  static Path unpack(Path parent) throws IOException {
    Path dir = parent.resolve("model-" + id());
    if (Files.isRegularFile(dir.resolve("train.json"))) return dir;
    Path tmp = dir.resolveSibling(dir.getFileName() + ".partial");
    TempFolder.deleteTree(tmp.toFile());
    for (String f : FILES) {
      try (InputStream in = resource(f)) {
        Path target = tmp.resolve(f);
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    return dir;
  }

  /** The first 12 hex digits of the bundled train.json's SHA-256. */
  static String id() throws IOException {
    try (InputStream in = resource("train.json")) {
      return KvBankFiles.sha256(in).substring(0, 12);
    }
  }

  private static InputStream resource(String file) throws IOException {
    InputStream in = BundledToyModel.class.getClassLoader().getResourceAsStream(RESOURCE + file);
    if (in == null)
      throw new IOException(
          "the job jar has no " + RESOURCE + file + " (rebuild it: mvn -pl job -am install)");
    return in;
  }
}
