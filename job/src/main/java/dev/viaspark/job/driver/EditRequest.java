package dev.viaspark.job.driver;

/**
 * What `viaspark edit` was asked to do. {@code instruction} may be null (then edit.instruction or
 * the manifest's).
 */
public record EditRequest(String input, String output, String instruction, JobConfig config) {}
