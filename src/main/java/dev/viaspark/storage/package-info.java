/**
 * File access for the pipeline: {@link Storage} reads and writes files by URI through Hadoop's
 * FileSystem (local, HDFS, S3 and others), makes local copies for FFmpeg and publishes finished
 * files so the destination never holds a partial one. {@link Errors} turns exceptions into one-line
 * messages that start from the user's input file, and {@link TempFolder} is a local temporary
 * folder that deletes itself when closed. The job, the SQL functions, the model folder cache and
 * the K/V bank cache go through this package.
 */
package dev.viaspark.storage;
