package dev.viaspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/airflow/viaspark_dag.py and the SparkApplication it submits (deploy/k8s), rendered for a
 * fixed run date by tests/src/test/python/render_dag.py under Debian's python3 with stub Airflow
 * modules: the commands they would run must be ones viaspark accepts, with a config file from the
 * repository, GPUs, retries, an SLA and a daily schedule.
 */
class AirflowDagTest {
  static final String PYTHON = "/usr/bin/python3";
  static final String RUN_DATE = "2026-03-14";

  /** An instruction that YAML and shell quoting could get wrong. */
  static final String AWKWARD = "it's \"cold\": snow #1, {x} & <y> ü";

  @TempDir static Path tmp;
  static Path root;
  static JsonNode rendered;
  static JsonNode awkward;

  @BeforeAll
  static void render() throws Exception {
    assumeTrue(
        new File(PYTHON).canExecute(),
        PYTHON
            + " is missing: the DAG test needs Debian's python3 with python3-jinja2 and python3-yaml");
    root = DeployFiles.root();
    rendered = render(List.of());
    awkward = render(List.of("--param", "instruction=" + AWKWARD));
  }

  static JsonNode render(List<String> extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                PYTHON,
                "-I",
                root.resolve("tests/src/test/python/render_dag.py").toString(),
                root.resolve("deploy/airflow/viaspark_dag.py").toString(),
                RUN_DATE,
                "--yaml",
                root.resolve("deploy/k8s/viaspark-configmap.yaml").toString(),
                "--yaml",
                root.resolve("deploy/k8s/executor-pod-template.yaml").toString()));
    cmd.addAll(extra);
    Map<String, String> env = new HashMap<>();
    env.put("PYTHONPATH", null);
    env.put("VIASPARK_K8S_DIR", null);
    DeployFiles.Run r = DeployFiles.run(cmd, env, root);
    assertEquals(
        0,
        r.code(),
        "render_dag.py failed (python3-jinja2 and python3-yaml installed?):\n" + r.err());
    return new ObjectMapper().readTree(r.out());
  }

  static JsonNode dag(JsonNode all, String id) {
    for (JsonNode d : all.get("dags")) if (d.get("dag_id").asText().equals(id)) return d;
    throw new AssertionError("no DAG " + id + " in " + all.get("dags"));
  }

  static JsonNode task(JsonNode all, String dagId, String type) {
    for (JsonNode t : dag(all, dagId).get("tasks"))
      if (t.get("type").asText().equals(type)) return t;
    throw new AssertionError("no " + type + " in DAG " + dagId);
  }

  static List<String> strings(JsonNode array) {
    assertNotNull(array);
    assertTrue(array.isArray(), "a list: " + array);
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static JsonNode submit(JsonNode all) {
    return task(all, "viaspark_daily_edit", "SparkSubmitOperator").get("kwargs");
  }

  static JsonNode sparkApplication(JsonNode all) {
    return task(all, "viaspark_daily_edit_k8s", "SparkKubernetesOperator").get("application");
  }

  /** The name after -Dconfig.file= in a JVM options string. */
  static String configFileOption(String javaOptions) {
    for (String opt : javaOptions.trim().split("\\s+")) {
      if (opt.startsWith("-Dconfig.file=")) return opt.substring("-Dconfig.file=".length());
    }
    throw new AssertionError("no -Dconfig.file in: " + javaOptions);
  }

  @Test
  void bothDagsRunDailyWithRetriesAndAnSla() {
    assertEquals(2, rendered.get("dags").size(), "a spark-submit DAG and a spark-operator DAG");
    for (JsonNode d : rendered.get("dags")) {
      JsonNode kw = d.get("kwargs");
      String id = d.get("dag_id").asText();
      String schedule =
          kw.hasNonNull("schedule")
              ? kw.get("schedule").asText()
              : kw.path("schedule_interval").asText();
      assertTrue(
          Set.of("@daily", "0 0 * * *").contains(schedule), id + " runs daily, not " + schedule);
      JsonNode args = kw.get("default_args");
      assertTrue(args.get("retries").asInt() > 0, id + " retries");
      assertTrue(
          args.get("retry_delay").get("seconds").asDouble() > 0, id + " waits between retries");
      assertTrue(args.get("sla").get("seconds").asDouble() > 0, id + " has an SLA");
      assertTrue(
          kw.get("is_paused_upon_creation").asBoolean(),
          id + " starts paused (two DAGs edit the same data)");
      assertEquals(1, kw.get("max_active_runs").asInt(), id + ": one run at a time on the GPUs");
      for (String p : List.of("bucket", "instruction", "model_path"))
        assertTrue(kw.get("params").has(p), id + " " + p);
      assertEquals(1, d.get("tasks").size(), id + " has one task");
    }
  }

  @Test
  void sparkSubmitArgumentsAreAcceptedByViaspark() throws Exception {
    for (JsonNode all : List.of(rendered, awkward)) {
      JsonNode kw = submit(all);
      List<String> args = strings(kw.get("application_args"));
      List<String> files = List.of(kw.get("files").asText().split(","));
      File config = repoFileShipped(files, ".conf");
      EditCommand.EditArgs parsed = DeployFiles.assertAccepted(args, config, tmp);
      assertTrue(
          parsed.request().input().contains("dt=" + RUN_DATE), "input of the run date: " + args);
      assertTrue(
          parsed.request().output().contains("dt=" + RUN_DATE), "output of the run date: " + args);
      assertFalse(
          parsed.request().input().equals(parsed.request().output()), "input and output differ");
      assertFalse(String.join(" ", args).contains("{{"), "everything rendered: " + args);
      assertTrue(
          parsed.request().config().resolve().modelPath.startsWith("s3a://"),
          "model.path from the params");
    }
    assertEquals(
        AWKWARD,
        submit(awkward).get("application_args").get(6).asText(),
        "instruction kept verbatim");
  }

  @Test
  void sparkSubmitShipsTheConfigAndAsksForGpus() {
    JsonNode kw = submit(rendered);
    assertEquals("dev.viaspark.job.ViasparkMain", kw.get("java_class").asText());
    assertTrue(
        kw.get("application").asText().endsWith("/viaspark.jar"),
        "the job jar: " + kw.get("application"));
    List<String> files = List.of(kw.get("files").asText().split(","));
    String configName = repoFileShipped(files, ".conf").getName();
    JsonNode conf = kw.get("conf");
    assertEquals(configName, configFileOption(conf.get("spark.driver.extraJavaOptions").asText()));
    assertEquals(
        configName, configFileOption(conf.get("spark.executor.extraJavaOptions").asText()));
    for (String side : List.of("driver", "executor")) {
      assertTrue(
          conf.get("spark." + side + ".extraJavaOptions")
              .asText()
              .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"),
          side + " has the Java 17 flags");
    }
    assertTrue(conf.get("spark.executor.resource.gpu.amount").asDouble() >= 1, "executor GPUs");
    assertTrue(conf.get("spark.task.resource.gpu.amount").asDouble() > 0, "task GPUs");
    String script = conf.get("spark.executor.resource.gpu.discoveryScript").asText();
    assertTrue(
        script.startsWith("./"), "discovery script in the executor's working directory: " + script);
    File shipped = repoFileShipped(files, ".sh");
    assertEquals(
        shipped.getName(), script.substring(2), "the discovery script is shipped with --files");
    assertTrue(shipped.canExecute(), shipped + " is executable");
    assertTrue(conf.get("spark.eventLog.dir").asText().startsWith("s3a://"), "event log");
  }

  /**
   * The file in {@code files} ending with {@code suffix}, which must be a file of deploy/ in the
   * repository.
   */
  File repoFileShipped(List<String> files, String suffix) {
    String shipped =
        files.stream()
            .filter(f -> f.endsWith(suffix))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no *" + suffix + " in files " + files));
    File f = root.resolve("deploy").resolve(Path.of(shipped).getFileName().toString()).toFile();
    assertTrue(f.isFile(), shipped + " is deploy/" + f.getName() + " of the repository");
    return f;
  }

  @Test
  void sparkApplicationRunsTheSameArgumentsOnGpus() throws Exception {
    for (JsonNode all : List.of(rendered, awkward)) {
      JsonNode task = task(all, "viaspark_daily_edit_k8s", "SparkKubernetesOperator");
      assertEquals(
          root.resolve("deploy/k8s/viaspark-sparkapplication.yaml").toRealPath(),
          Path.of(task.get("application_file_path").asText()).toRealPath(),
          "the manifest of deploy/k8s");
      JsonNode app = task.get("application");
      assertEquals("sparkoperator.k8s.io/v1beta2", app.get("apiVersion").asText());
      assertEquals("SparkApplication", app.get("kind").asText());
      JsonNode spec = app.get("spec");
      assertEquals(
          strings(submit(all).get("application_args")),
          strings(spec.get("arguments")),
          "the SparkApplication runs what the spark-submit DAG runs");
      assertEquals("dev.viaspark.job.ViasparkMain", spec.get("mainClass").asText());
      assertEquals("Java", spec.get("type").asText());
      assertTrue(spec.get("mainApplicationFile").asText().endsWith("/viaspark.jar"));
      assertTrue(
          app.get("metadata").get("name").asText().contains(RUN_DATE.replace("-", "")),
          "one name a day");
    }
    JsonNode spec = sparkApplication(rendered).get("spec");
    JsonNode executor = spec.get("executor");
    assertEquals("nvidia.com/gpu", executor.get("gpu").get("name").asText());
    assertTrue(executor.get("gpu").get("quantity").asInt() >= 1, "executor pods request GPUs");
    JsonNode conf = spec.get("sparkConf");
    assertTrue(
        conf.get("spark.executor.resource.gpu.amount").asDouble() >= 1,
        "Spark's executor GPU resource");
    assertTrue(conf.get("spark.task.resource.gpu.amount").asDouble() > 0);
    assertEquals("nvidia.com", conf.get("spark.executor.resource.gpu.vendor").asText());
    assertEquals(
        "/opt/viaspark/discover-gpus.sh",
        conf.get("spark.executor.resource.gpu.discoveryScript").asText(),
        "the image's discovery script (deploy/docker/Dockerfile)");
    assertTrue(spec.get("image").asText().contains(":"), "an image with a tag");
  }

  @Test
  void sparkApplicationConfigComesFromTheConfigMap() throws Exception {
    JsonNode spec = sparkApplication(rendered).get("spec");
    List<String> depsFiles = strings(spec.get("deps").get("files"));
    String configUri =
        depsFiles.stream().filter(f -> f.endsWith(".conf")).findFirst().orElseThrow();
    Path configPath = Path.of(configUri.replaceFirst("^local://", ""));
    String name = configPath.getFileName().toString();
    JsonNode conf = spec.get("sparkConf");
    assertEquals(name, configFileOption(conf.get("spark.driver.extraJavaOptions").asText()));
    assertEquals(name, configFileOption(conf.get("spark.executor.extraJavaOptions").asText()));

    // the ConfigMap volume is mounted where deps.files and the pod template point
    JsonNode volume = spec.get("volumes").get(0);
    String configMap = volume.get("configMap").get("name").asText();
    JsonNode mount = spec.get("driver").get("volumeMounts").get(0);
    assertEquals(volume.get("name").asText(), mount.get("name").asText());
    assertEquals(
        Path.of(mount.get("mountPath").asText()),
        configPath.getParent(),
        "config read from the mount");
    Path template = Path.of(conf.get("spark.kubernetes.executor.podTemplateFile").asText());
    assertEquals(
        Path.of(mount.get("mountPath").asText()),
        template.getParent(),
        "pod template in the same mount");

    // ... and holds exactly the repository's files
    JsonNode cm =
        rendered.get("yaml").get(root.resolve("deploy/k8s/viaspark-configmap.yaml").toString());
    assertEquals("ConfigMap", cm.get("kind").asText());
    assertEquals(configMap, cm.get("metadata").get("name").asText());
    File repoConfig = root.resolve("deploy").resolve(name).toFile();
    assertEquals(
        Files.readString(repoConfig.toPath()),
        cm.get("data").get(name).asText(),
        "the ConfigMap's " + name + " is deploy/" + name);
    String templateName = template.getFileName().toString();
    assertEquals(
        Files.readString(root.resolve("deploy/k8s").resolve(templateName)),
        cm.get("data").get(templateName).asText(),
        "the ConfigMap's " + templateName + " is deploy/k8s/" + templateName);
    DeployFiles.assertAccepted(strings(spec.get("arguments")), repoConfig, tmp);
  }

  @Test
  void podTemplatePutsExecutorsOnGpuNodes() {
    JsonNode pod =
        rendered.get("yaml").get(root.resolve("deploy/k8s/executor-pod-template.yaml").toString());
    assertEquals("Pod", pod.get("kind").asText());
    JsonNode tolerations = pod.get("spec").get("tolerations");
    boolean gpuToleration = false;
    for (JsonNode t : tolerations) gpuToleration |= t.get("key").asText().equals("nvidia.com/gpu");
    assertTrue(gpuToleration, "tolerates the GPU nodes' taint");
    assertTrue(pod.get("spec").get("nodeSelector").size() > 0, "selects GPU nodes");
    JsonNode executor = sparkApplication(rendered).get("spec").get("executor");
    assertEquals(
        pod.get("spec").get("nodeSelector"),
        executor.get("nodeSelector"),
        "the SparkApplication's executor spec repeats the template's nodeSelector");
    assertEquals(tolerations, executor.get("tolerations"), "... and its tolerations");
  }
}
