/**
 * The {@code viaspark} command line and the Spark edit job. {@link ViasparkMain} dispatches the commands
 * ({@code edit}, {@code demo}, {@code probe}, {@code generate}, {@code edit-image}, {@code bench}, {@code train-toy});
 * {@link EditJob} runs an {@link EditRequest} as probe, plan, gather, edit, assemble and report stages over every
 * {@link VideoTask}, keeping intermediate files under deterministic {@link WorkDir} paths so reruns reuse finished
 * work, and returns a {@link JobSummary} of {@link ReportRow}s. {@link JobConfig} holds the configuration sources.
 * It wires together the engine packages ({@code video}, {@code edit}, {@code via}, {@code metrics},
 * {@code storage}, {@code config}) and the SQL-functions module's {@code TaskDevice} and {@code SessionStorage}.
 */
package dev.viaspark.job;
