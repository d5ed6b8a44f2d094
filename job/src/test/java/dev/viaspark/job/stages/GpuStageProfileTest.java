package dev.viaspark.job.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.SettingsException;
import dev.viaspark.config.ViasparkSettings.GpuStages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.resource.ExecutorResourceRequest;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.TaskResourceRequest;
import org.junit.jupiter.api.Test;

/**
 * Stage-level scheduling decisions, without Spark: where the GPU profile applies and what it asks
 * for.
 */
class GpuStageProfileTest {
  static GpuStages settings(String... sets) {
    ConfigLayers l = new ConfigLayers();
    for (String s : sets) l.set(s);
    return l.resolve().gpuStages;
  }

  static final Map<String, String> YARN_DYNAMIC =
      Map.of("spark.master", "yarn", "spark.dynamicAllocation.enabled", "true");

  @Test
  void onlyClusterManagersWithDynamicAllocationScheduleStagesApart() {
    assertTrue(
        GpuStageProfile.unsupportedReason(Map.of("spark.master", "local[4]")).contains("local[4]"));
    assertTrue(
        GpuStageProfile.unsupportedReason(Map.of("spark.master", "k8s://https://api:6443"))
            .contains("dynamicAllocation"));
    assertNull(GpuStageProfile.unsupportedReason(YARN_DYNAMIC));
    assertNull(
        GpuStageProfile.unsupportedReason(
            Map.of(
                "spark.master", "spark://host:7077", "spark.dynamicAllocation.enabled", "true")));
  }

  @Test
  void offAndAutoFallBackQuietlyOnWhereUnsupportedFails() {
    Map<String, String> local = Map.of("spark.master", "local[*]");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    assertNull(GpuStageProfile.forStages(settings(), local, out), "off by default");
    assertNull(GpuStageProfile.forStages(settings("resources.gpu-stages=auto"), local, out));
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("every stage on the default executors"),
        log.toString());
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> GpuStageProfile.validate(settings("resources.gpu-stages=on"), local));
    assertTrue(e.getMessage().contains("resources.gpu-stages = on"), e.getMessage());
    assertNotNull(
        GpuStageProfile.forStages(settings("resources.gpu-stages=auto"), YARN_DYNAMIC, out));
  }

  @Test
  void profileAsksForTheConfiguredGpusCoresAndDiscovery() {
    GpuStages s =
        settings(
            "resources.gpu-stages=on",
            "resources.executor-gpus=2",
            "resources.executor-cores=8",
            "resources.executor-memory=24g",
            "resources.task-gpus=0.5",
            "resources.task-cpus=2",
            "resources.vendor=nvidia.com");
    ResourceProfile p =
        GpuStageProfile.forStages(s, YARN_DYNAMIC, new PrintStream(new ByteArrayOutputStream()));
    ExecutorResourceRequest gpu = p.executorResourcesJMap().get("gpu");
    assertEquals(2, gpu.amount());
    assertEquals("./discover-gpus.sh", gpu.discoveryScript());
    assertEquals("nvidia.com", gpu.vendor());
    assertEquals(8, p.executorResourcesJMap().get("cores").amount());
    assertEquals(24 * 1024, p.executorResourcesJMap().get("memory").amount(), "MiB");
    TaskResourceRequest taskGpu = p.taskResourcesJMap().get("gpu");
    assertEquals(0.5, taskGpu.amount(), 1e-12);
    assertEquals(2.0, p.taskResourcesJMap().get("cpus").amount(), 1e-12);
  }

  @Test
  void badResourceSettingsNameTheKey() {
    SettingsException e =
        assertThrows(SettingsException.class, () -> settings("resources.task-cpus=8"));
    assertTrue(
        e.getMessage()
            .contains("resources.task-cpus = 8 is more than resources.executor-cores = 4"),
        e.getMessage());
    e = assertThrows(SettingsException.class, () -> settings("resources.executor-memory=lots"));
    assertTrue(e.getMessage().contains("resources.executor-memory = lots"), e.getMessage());
  }
}
