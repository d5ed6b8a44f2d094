package dev.viaspark.diffusion.schedulers;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * A diffusion sampler configured from a diffusers {@code scheduler_config.json}, reproducing
 * diffusers v0.24.0 in float32. {@link #schedule(int)} makes the plan for one run; the scheduler
 * itself holds only the training-time noise schedule and is safe to share.
 */
public interface Scheduler {

  /**
   * Reads {@code scheduler_config.json}. The config's {@code _class_name} picks the kind unless
   * {@code className} is non-null ("DDIMScheduler", "EulerDiscreteScheduler",
   * "EulerAncestralDiscreteScheduler"), which is how diffusers' {@code X.from_config(other.config)}
   * works. Unknown class names and bad values throw {@link IllegalArgumentException} naming the
   * file and key.
   */
  static Scheduler fromConfig(Path schedulerConfigJson, String className) {
    return create(SchedulerConfig.read(schedulerConfigJson), className);
  }

  /** As {@link #fromConfig(Path, String)}, from an already parsed config object. */
  static Scheduler fromConfig(JsonNode config, String className) {
    return create(new SchedulerConfig(config, "scheduler config"), className);
  }

  private static Scheduler create(SchedulerConfig config, String className) {
    String kind = className != null ? className : config.requiredString("_class_name");
    return switch (kind) {
      case EulerAncestralDiscreteScheduler.NAME -> new EulerAncestralDiscreteScheduler(config);
      case EulerDiscreteScheduler.NAME -> new EulerDiscreteScheduler(config);
      case DdimScheduler.NAME -> new DdimScheduler(config);
      default ->
          throw new IllegalArgumentException(
              config.source()
                  + ": unsupported scheduler class '"
                  + kind
                  + "'"
                  + (className != null ? "" : " (key _class_name)")
                  + "; supported: "
                  + EulerAncestralDiscreteScheduler.NAME
                  + ", "
                  + EulerDiscreteScheduler.NAME
                  + ", "
                  + DdimScheduler.NAME);
    };
  }

  /** The diffusers class name this scheduler reproduces. */
  String name();

  /**
   * The immutable, thread-safe plan for one run of {@code steps} denoising steps (diffusers'
   * set_timesteps).
   */
  Schedule schedule(int steps);
}
