/**
 * Spark plumbing that the SQL functions and the edit job share: {@link SessionStorage} (storage
 * with the session's Hadoop settings, and the session's Spark properties) and {@link TaskDevice}
 * (the GPU Spark assigned to the running task, or the CPU).
 */
package dev.viaspark.spark;
