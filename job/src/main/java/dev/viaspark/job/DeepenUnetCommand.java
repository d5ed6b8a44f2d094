package dev.viaspark.job;

import dev.viaspark.cli.CommandLine;
import dev.viaspark.cli.Flags;
import dev.viaspark.cli.UsageException;
import dev.viaspark.train.ToyModelLayout;
import dev.viaspark.train.UnetDeepening;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code viaspark deepen-unet}: a trained toy model whose UNet has more layers per block and edits
 * as before, so that a fine-tune ({@code train-toy --from}) has room to learn more.
 */
final class DeepenUnetCommand {
  static final String HELP =
      String.join(
          "\n",
          "usage: viaspark deepen-unet --model DIR --output DIR --layers-per-block N [--seed S]",
          "",
          "Writes a copy of the toy model DIR whose UNet has N layers per block (more than it has). The new",
          "layers start as identities (a resnet's second convolution and a transformer's output projection are",
          "zero; their other weights are drawn from S, default 1), so the copy edits exactly as DIR does;",
          "fine-tune it with `train-toy --from` to use them. OUTPUT must not exist; it is written atomically.");

  private DeepenUnetCommand() {}

  static int run(List<String> args, PrintStream out) throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "deepen-unet",
            args,
            Set.of("--model", "--output", "--layers-per-block", "--seed"),
            Set.of("--help"),
            0);
    if (cl.has("--help")) {
      out.println(HELP);
      return 0;
    }
    for (String required : List.of("--model", "--output", "--layers-per-block")) {
      if (cl.get(required) == null)
        throw new UsageException(
            "deepen-unet: " + required + " is required (see viaspark deepen-unet --help)");
    }
    Path model = Path.of(cl.get("--model"));
    Path config = model.resolve("unet/config.json");
    if (!Files.isRegularFile(config)
        || !Files.isRegularFile(ToyModelLayout.weightsFile(model, "unet")))
      throw new UsageException(
          "deepen-unet: --model " + model + ": not a toy model (no unet/ config and weights)");
    Path output = Path.of(cl.get("--output"));
    if (Files.exists(output))
      throw new UsageException(
          "deepen-unet: --output " + output + ": already exists; choose a new folder");
    int layers = Flags.positive(cl, "--layers-per-block", 0);
    long seed = Flags.positive(cl, "--seed", 1);
    try {
      UnetDeepening.deepen(model, output, layers, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException("deepen-unet: --layers-per-block: " + e.getMessage());
    }
    out.printf("wrote %s: a UNet of %d layers per block%n", output, layers);
    return 0;
  }
}
