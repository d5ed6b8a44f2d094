package dev.viaspark.job;

/** What a stage reports for one piece of work: the video (task) it belongs to and, when it failed, why. */
interface StageResult {
  int taskId();

  /** Null when the work succeeded. */
  String error();
}
