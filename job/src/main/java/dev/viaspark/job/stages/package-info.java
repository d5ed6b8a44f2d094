/**
 * The stages that run on the executors, one class each: {@link ProbeStage} (metadata and keyframes,
 * no decoding), {@link GatherStage} (Via: edits a video's anchors and publishes its K/V bank),
 * {@link EditStage} (one segment through the frame editor) and {@link AssembleStage} (segments
 * joined with the source's audio, then a {@link DoneMarker}). {@link SparkStage} is the skeleton
 * they share: one Spark job over the work items, a task per item, the {@link JobCounters} updated,
 * results collected in order. A failed item is a {@link StageResult} with its error, never an
 * exception, so one broken video does not stop the others. {@link GpuStageProfile} asks for GPU
 * executors for the model stages; {@link VideoTask} is one input video; {@link SegmentScores} keeps
 * a segment's temporal scores beside it.
 */
package dev.viaspark.job.stages;
