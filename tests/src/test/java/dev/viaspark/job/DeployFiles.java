package dev.viaspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.viaspark.cli.UsageException;
import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.SettingsException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Shared by the tests of deploy/: the repository's files, running scripts, and checking viaspark
 * arguments.
 */
final class DeployFiles {
  /**
   * The stage-level scheduling keys (resources.*) the deploy files use. They come with the GPU
   * resource profile change; until reference.conf has them, the arguments and config files are
   * validated without them and only their names are checked against this list.
   */
  static final Set<String> RESOURCES_KEYS =
      Set.of(
          "gpu-stages",
          "executor-gpus",
          "executor-cores",
          "executor-memory",
          "task-gpus",
          "task-cpus",
          "discovery-script",
          "vendor");

  private DeployFiles() {}

  /**
   * The repository root: the first folder upwards from the working directory that holds
   * deploy/spark-submit.sh.
   */
  static Path root() {
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        p != null;
        p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/spark-submit.sh"))) return p;
    }
    throw new AssertionError("no deploy/spark-submit.sh above " + System.getProperty("user.dir"));
  }

  record Run(int code, String out, String err) {}

  /**
   * Runs a command with the given extra environment (null values remove a variable); fails after 60
   * s.
   */
  static Run run(List<String> command, Map<String, String> env, Path dir)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment()
        .put(
            "PYTHONDONTWRITEBYTECODE",
            "1"); // importing the DAG must not leave __pycache__ in deploy/
    env.forEach(
        (k, v) -> {
          if (v == null) pb.environment().remove(k);
          else pb.environment().put(k, v);
        });
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    Thread errPump = new Thread(() -> copy(p.getErrorStream(), err));
    errPump.start();
    copy(p.getInputStream(), out);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    errPump.join();
    return new Run(
        p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  static boolean referenceHasResources() {
    return ConfigLayers.reference().hasPath("resources");
  }

  /**
   * The arguments without {@code --set resources.*} pairs while reference.conf lacks them (names
   * checked).
   */
  static List<String> validatable(List<String> args) {
    if (referenceHasResources()) return args;
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--set") && i + 1 < args.size() && args.get(i + 1).startsWith("resources.")) {
        String key = args.get(i + 1).substring("resources.".length()).split("=", 2)[0];
        assertTrue(RESOURCES_KEYS.contains(key), "unknown stage-level key resources." + key);
        i++;
      } else {
        kept.add(a);
      }
    }
    return kept;
  }

  /**
   * The config file as the job would read it: itself once reference.conf knows resources.*, else a
   * copy in {@code tmp} without the resources block (whose keys are checked against {@link
   * #RESOURCES_KEYS}).
   */
  static File validatable(File config, Path tmp) throws IOException {
    assertTrue(config.isFile(), config + " exists");
    Config parsed = ConfigFactory.parseFile(config).resolve();
    if (referenceHasResources() || !parsed.hasPath("resources")) return config;
    for (String key : parsed.getConfig("resources").root().keySet()) {
      assertTrue(
          RESOURCES_KEYS.contains(key),
          config.getName() + ": unknown stage-level key resources." + key);
    }
    Path copy = tmp.resolve("without-resources-" + config.getName());
    Files.writeString(
        copy, parsed.withoutPath("resources").root().render(ConfigRenderOptions.concise()));
    return copy.toFile();
  }

  /**
   * viaspark's own validation of edit arguments (no Spark, nothing read but a --config file); fails
   * with its message.
   */
  static EditCommand.EditArgs parseEdit(List<String> args) {
    assertEquals("edit", args.get(0), "viaspark command of " + args);
    try {
      EditCommand.EditArgs parsed = EditCommand.parse(args.subList(1, args.size()));
      assertNotNull(parsed, "parsed " + args);
      return parsed;
    } catch (UsageException | SettingsException e) {
      throw new AssertionError("viaspark rejects " + args + ": " + e.getMessage(), e);
    }
  }

  /** The value after {@code flag} in {@code args}, or null. */
  static String valueOf(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
  }

  /**
   * Checks the arguments as the driver would see them: alone, and with the shipped config file
   * (-Dconfig.file).
   */
  static EditCommand.EditArgs assertAccepted(List<String> args, File config, Path tmp)
      throws IOException {
    parseEdit(validatable(args));
    List<String> withConfig = new ArrayList<>(validatable(args));
    withConfig.addAll(List.of("--config", validatable(config, tmp).getPath()));
    return parseEdit(withConfig);
  }
}
