/**
 * The edit job on the Spark driver. {@link EditJob} runs an {@link EditRequest} as phases that flow
 * one way: resolve the input ({@link InputResolver}: a file, folder, glob or manifest into video
 * tasks), probe, plan keyframe-aligned segments, gather the K/V banks of the videos that survived
 * (Via only), edit the segments, assemble each video, and write the report ({@link ReportRow},
 * {@link ReportWriter}, {@link JobStats}, {@link JobSummary}). {@link WorkDir} names every
 * intermediate file deterministically so a rerun reuses finished work; {@link JobConfig} layers the
 * configuration sources; {@link Progress} prints what is done. The executor-side work is in {@code
 * dev.viaspark.job.stages}.
 */
package dev.viaspark.job.driver;
