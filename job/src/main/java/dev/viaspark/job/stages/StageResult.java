package dev.viaspark.job.stages;

/**
 * What a stage reports for one piece of work: the video (task) it belongs to and, when it failed,
 * why.
 */
public interface StageResult {
  int taskId();

  /** Null when the work succeeded. */
  String error();
}
