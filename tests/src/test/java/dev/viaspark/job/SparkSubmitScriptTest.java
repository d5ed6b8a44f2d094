package dev.viaspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/spark-submit.sh in print-only mode (no Spark here): the command it builds for YARN,
 * Kubernetes and standalone has the job jar, the main class, the config file shipped and named in
 * both JVMs' options, GPU resources, and viaspark arguments that viaspark accepts. The printed
 * command is read back through bash, which checks its quoting.
 */
class SparkSubmitScriptTest {
  static final String INSTRUCTION = "it's \"cold\": snow $HOME * `date`";

  /**
   * Variables the script reads, cleared so that the machine's environment does not leak into the
   * command.
   */
  static final List<String> SCRIPT_ENV =
      List.of(
          "PRINT_ONLY",
          "SPARK_SUBMIT",
          "SPARK_HOME",
          "SPARK_MASTER",
          "K8S_API_SERVER",
          "DEPLOY_MODE",
          "VIASPARK_JAR",
          "VIASPARK_CONFIG",
          "DISCOVERY_SCRIPT",
          "EXECUTOR_GPUS",
          "TASK_GPUS",
          "EXECUTOR_CORES",
          "TASK_CPUS",
          "EXECUTOR_MEMORY",
          "DRIVER_MEMORY",
          "NUM_EXECUTORS",
          "GPU_STAGES",
          "MAX_EXECUTORS",
          "SHUFFLE_SERVICE",
          "DJL_NATIVES",
          "PYTORCH_LIBRARY_PATH",
          "PYTORCH_FLAVOR",
          "ENGINE_CACHE_DIR",
          "HADOOP_AWS",
          "S3A_CREDENTIALS_PROVIDER",
          "EVENT_LOG_DIR",
          "PROMETHEUS",
          "APP_NAME",
          "IMAGE",
          "NAMESPACE",
          "SERVICE_ACCOUNT",
          "POD_TEMPLATE",
          "K8S_UPLOAD_PATH");

  @TempDir static Path tmp;
  static Path root;
  static File config;

  @BeforeAll
  static void bash() {
    assumeTrue(new File("/bin/bash").canExecute(), "deploy/spark-submit.sh needs bash");
    root = DeployFiles.root();
    config = root.resolve("deploy/viaspark-gpu.conf").toFile();
  }

  static List<String> viasparkArgs() {
    return List.of(
        "edit",
        "--input",
        "s3a://videos/raw/dt=2026-03-14/",
        "--output",
        "s3a://videos/edited/dt=2026-03-14/",
        "--instruction",
        INSTRUCTION,
        "--set",
        "model.path=s3a://videos/models/instruct-pix2pix");
  }

  static DeployFiles.Run script(Map<String, String> env, String... args) throws Exception {
    Map<String, String> all = new HashMap<>();
    SCRIPT_ENV.forEach(k -> all.put(k, null));
    all.putAll(env);
    List<String> cmd =
        new ArrayList<>(List.of("/bin/bash", root.resolve("deploy/spark-submit.sh").toString()));
    cmd.addAll(Arrays.asList(args));
    return DeployFiles.run(cmd, all, root);
  }

  /** The printed command, split into its words by bash itself. */
  static List<String> dryRun(Map<String, String> env, String manager) throws Exception {
    List<String> args = new ArrayList<>(List.of("--dry-run", manager));
    args.addAll(viasparkArgs());
    DeployFiles.Run r = script(env, args.toArray(String[]::new));
    assertEquals(0, r.code(), "spark-submit.sh " + manager + " failed: " + r.err());
    DeployFiles.Run words =
        DeployFiles.run(
            List.of(
                "/bin/bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "words", r.out()),
            Map.of(),
            root);
    assertEquals(0, words.code(), "bash reads the printed command back: " + words.err());
    List<String> cmd = Arrays.asList(words.out().split("\0"));
    assertTrue(cmd.get(0).endsWith("spark-submit"), "runs spark-submit: " + cmd.get(0));
    return cmd;
  }

  /** Every value of a repeated option, e.g. all {@code --conf} key=value pairs as a map. */
  static Map<String, String> confs(List<String> cmd, int end) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < end; i++) {
      if (cmd.get(i).equals("--conf")) {
        String[] kv = cmd.get(i + 1).split("=", 2);
        m.put(kv[0], kv[1]);
      }
    }
    return m;
  }

  /** Checks one command; returns the spark-submit properties. */
  Map<String, String> check(List<String> cmd, String jar, String driverConfig) throws Exception {
    int jarAt = cmd.indexOf(jar);
    assertTrue(jarAt > 0, "the job jar " + jar + " in " + cmd);
    List<String> viaspark = cmd.subList(jarAt + 1, cmd.size());
    List<String> submit = cmd.subList(0, jarAt);
    assertEquals("dev.viaspark.job.ViasparkMain", DeployFiles.valueOf(submit, "--class"));
    Map<String, String> conf = confs(cmd, jarAt);
    // spark-submit hands --master and --conf to the driver as Spark properties, which viaspark
    // checks too
    // (resources.gpu-stages=on needs a cluster master and dynamic allocation)
    List<String> asDriverSees = new ArrayList<>(viaspark);
    asDriverSees.addAll(
        List.of("--set", "spark.master=" + DeployFiles.valueOf(submit, "--master")));
    conf.forEach((k, v) -> asDriverSees.addAll(List.of("--set", k + "=" + v)));
    EditCommand.EditArgs parsed = DeployFiles.assertAccepted(asDriverSees, config, tmp);
    assertEquals(
        INSTRUCTION, parsed.request().instruction(), "the instruction survives the quoting");
    assertEquals(
        viasparkArgs(),
        viaspark.subList(0, viasparkArgs().size()),
        "the arguments are passed as given");

    String files = DeployFiles.valueOf(submit, "--files");
    assertNotNull(files, "--files");
    assertTrue(
        Arrays.stream(files.split(",")).anyMatch(f -> f.endsWith("/" + config.getName())),
        "the config is shipped: " + files);
    String driver = conf.get("spark.driver.extraJavaOptions");
    String executor = conf.get("spark.executor.extraJavaOptions");
    assertTrue(
        driver.startsWith("-Dconfig.file=" + driverConfig + " "), "driver config: " + driver);
    assertTrue(
        executor.startsWith("-Dconfig.file=" + config.getName() + " "),
        "executor config: " + executor);
    for (String opts : List.of(driver, executor)) {
      assertTrue(
          opts.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), "Java 17 flags: " + opts);
      assertTrue(
          opts.contains("-Djdk.reflect.useDirectMethodHandle=false"), "Java 17 flags: " + opts);
    }
    assertEquals("true", conf.get("spark.ui.prometheus.enabled"));
    return conf;
  }

  static void assertExecutorGpus(Map<String, String> conf, String discoveryScript) {
    assertEquals("1", conf.get("spark.executor.resource.gpu.amount"), "executor GPUs");
    assertEquals("1", conf.get("spark.task.resource.gpu.amount"), "task GPUs");
    assertEquals(discoveryScript, conf.get("spark.executor.resource.gpu.discoveryScript"));
    assertEquals(conf.get("spark.executor.cores"), conf.get("spark.task.cpus"), "one task per GPU");
    assertEquals(
        "true", conf.get("spark.executorEnv.DJL_OFFLINE"), "baked natives: DJL never downloads");
    assertEquals("/opt/libtorch/lib", conf.get("spark.executorEnv.PYTORCH_LIBRARY_PATH"));
    assertEquals("2.7.1", conf.get("spark.executorEnv.PYTORCH_VERSION"));
    assertEquals("cu128", conf.get("spark.executorEnv.PYTORCH_FLAVOR"));
  }

  @Test
  void yarn() throws Exception {
    List<String> cmd = dryRun(Map.of(), "yarn");
    String jar = root.resolve("job/target/viaspark.jar").toString();
    Map<String, String> conf = check(cmd, jar, config.getName());
    assertEquals("yarn", DeployFiles.valueOf(cmd, "--master"));
    assertEquals("cluster", DeployFiles.valueOf(cmd, "--deploy-mode"));
    assertTrue(
        DeployFiles.valueOf(cmd, "--files")
            .contains(root.resolve("deploy/discover-gpus.sh").toString()));
    assertExecutorGpus(conf, "./discover-gpus.sh");
    assertEquals("org.apache.hadoop:hadoop-aws:3.3.4", DeployFiles.valueOf(cmd, "--packages"));
  }

  @Test
  void kubernetes() throws Exception {
    List<String> cmd =
        dryRun(
            Map.of(
                "K8S_API_SERVER",
                "https://kube.example:6443",
                "IMAGE",
                "registry.example/viaspark:0.1.0-cuda"),
            "k8s");
    Map<String, String> conf = check(cmd, "local:///opt/viaspark/viaspark.jar", config.getName());
    assertEquals("k8s://https://kube.example:6443", DeployFiles.valueOf(cmd, "--master"));
    assertEquals("local:///opt/viaspark/" + config.getName(), DeployFiles.valueOf(cmd, "--files"));
    assertExecutorGpus(conf, "/opt/viaspark/discover-gpus.sh");
    assertEquals("nvidia.com", conf.get("spark.executor.resource.gpu.vendor"));
    assertEquals(
        "registry.example/viaspark:0.1.0-cuda", conf.get("spark.kubernetes.container.image"));
    assertEquals(
        root.resolve("deploy/k8s/executor-pod-template.yaml").toString(),
        conf.get("spark.kubernetes.executor.podTemplateFile"));
    assertFalse(cmd.contains("--packages"), "hadoop-aws comes with the image");
  }

  @Test
  void standalone() throws Exception {
    List<String> cmd = dryRun(Map.of("SPARK_MASTER", "spark://master.example:7077"), "standalone");
    String jar = root.resolve("job/target/viaspark.jar").toString();
    // client mode: the driver runs here and reads the config where it lies; executors get the
    // shipped copy
    Map<String, String> conf = check(cmd, jar, config.getPath());
    assertEquals("spark://master.example:7077", DeployFiles.valueOf(cmd, "--master"));
    assertEquals("client", DeployFiles.valueOf(cmd, "--deploy-mode"));
    assertExecutorGpus(conf, "./discover-gpus.sh");
  }

  @Test
  void stageLevelSchedulingUsesDynamicAllocationAndTheGpuProfile() throws Exception {
    for (String manager : List.of("yarn", "k8s")) {
      List<String> cmd =
          dryRun(
              Map.of(
                  "GPU_STAGES",
                  "on",
                  "K8S_API_SERVER",
                  "https://kube.example:6443",
                  "IMAGE",
                  "registry.example/viaspark:1"),
              manager);
      String jar =
          manager.equals("k8s")
              ? "local:///opt/viaspark/viaspark.jar"
              : root.resolve("job/target/viaspark.jar").toString();
      Map<String, String> conf = check(cmd, jar, config.getName());
      assertEquals("true", conf.get("spark.dynamicAllocation.enabled"), manager);
      assertEquals("true", conf.get("spark.dynamicAllocation.shuffleTracking.enabled"), manager);
      assertFalse(
          conf.containsKey("spark.executor.resource.gpu.amount"),
          "default executors stay CPU-only");
      assertFalse(
          conf.containsKey("spark.executor.resource.gpu.discoveryScript"),
          "no discovery script without an amount (Spark rejects it)");
      List<String> viaspark = cmd.subList(cmd.indexOf(jar) + 1, cmd.size());
      assertTrue(viaspark.contains("resources.gpu-stages=on"), viaspark.toString());
      assertEquals(
          manager.equals("k8s"),
          viaspark.contains("resources.vendor=nvidia.com"),
          viaspark.toString());
    }
  }

  @Test
  void cpuExecutorsGetNoGpuSettings() throws Exception {
    List<String> cmd = dryRun(Map.of("EXECUTOR_GPUS", "0"), "yarn");
    Map<String, String> conf =
        check(cmd, root.resolve("job/target/viaspark.jar").toString(), config.getName());
    assertTrue(conf.keySet().stream().noneMatch(k -> k.contains("resource.gpu")), conf.toString());
    assertFalse(
        conf.containsKey("spark.executorEnv.PYTORCH_LIBRARY_PATH"), "the jar's CPU libtorch");
  }

  @Test
  void mistakesFailWithAMessage() throws Exception {
    DeployFiles.Run r =
        script(Map.of(), "--dry-run", "standalone", "edit", "--input", "a", "--output", "b");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("SPARK_MASTER"), r.err());
    r = script(Map.of(), "--dry-run", "mesos", "edit");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown cluster manager 'mesos'"), r.err());
    r = script(Map.of("K8S_API_SERVER", "https://k:6443"), "--dry-run", "k8s", "edit");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("IMAGE"), r.err());
    r = script(Map.of("GPU_STAGES", "maybe"), "--dry-run", "yarn", "edit");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("GPU_STAGES=maybe"), r.err());
  }

  @Test
  void onlineNativesRefuseAJarWithBundledCpuNatives() throws Exception {
    assumeTrue(
        new File("/usr/bin/unzip").canExecute() || new File("/bin/unzip").canExecute(),
        "the check reads the jar with unzip");
    File jar = tmp.resolve("with-cpu-natives.jar").toFile();
    try (ZipOutputStream z = new ZipOutputStream(new FileOutputStream(jar))) {
      z.putNextEntry(new ZipEntry("pytorch/cpu/linux-x86_64/libtorch.so"));
      z.write(1);
      z.closeEntry();
    }
    DeployFiles.Run r =
        script(
            Map.of("DJL_NATIVES", "online", "VIASPARK_JAR", jar.getPath()),
            "--dry-run",
            "yarn",
            "edit",
            "--input",
            "a",
            "--output",
            "b");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains("bundles the CPU libtorch"), r.err());

    File bare = tmp.resolve("without-natives.jar").toFile();
    try (ZipOutputStream z = new ZipOutputStream(new FileOutputStream(bare))) {
      z.putNextEntry(new ZipEntry("dev/viaspark/job/ViasparkMain.class"));
      z.closeEntry();
    }
    List<String> cmd =
        dryRun(Map.of("DJL_NATIVES", "online", "VIASPARK_JAR", bare.getPath()), "yarn");
    Map<String, String> conf = confs(cmd, cmd.indexOf(bare.getPath()));
    assertEquals("false", conf.get("spark.executorEnv.DJL_OFFLINE"));
    assertEquals("cu128", conf.get("spark.executorEnv.PYTORCH_FLAVOR"));
    assertFalse(conf.containsKey("spark.executorEnv.PYTORCH_LIBRARY_PATH"));
  }

  @Test
  void scriptParses() throws Exception {
    for (String s : List.of("deploy/spark-submit.sh", "deploy/discover-gpus.sh")) {
      DeployFiles.Run r =
          DeployFiles.run(List.of("/bin/bash", "-n", root.resolve(s).toString()), Map.of(), root);
      assertEquals(0, r.code(), s + ": " + r.err());
      assertTrue(Files.isExecutable(root.resolve(s)), s + " is executable");
    }
  }
}
