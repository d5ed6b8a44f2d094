/**
 * The {@code viaspark} command line, the same under {@code job/viaspark} and {@code spark-submit}:
 * {@link ViasparkMain} dispatches to one class per command, each with its own help text ({@link
 * EditCommand}, {@link DemoCommand}, {@link ProbeCommand}, {@link GenerateCommand}, {@link
 * EditImageCommand}, {@link TrainToyCommand}, and {@code bench.BenchCommand}) and maps failures to
 * exit statuses (1 usage or configuration, 2 input videos, 3 unexpected). {@link SparkSessions}
 * starts Spark with viaspark's defaults; {@link BundledToyModel} serves the demo. Commands parse
 * flags with {@code dev.viaspark.cli} and hand the edit to {@code dev.viaspark.job.driver};
 * dependencies point one way: command line, then driver, then stages, then the engine.
 */
package dev.viaspark.job;
