package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * The result of one {@link Schedule#step}: the sample for the next step and the scheduler's
 * estimate of the clean sample (x0). Both are new arrays, owned by the manager of the input arrays;
 * the caller closes them.
 */
public record StepOutput(NDArray prevSample, NDArray predOriginalSample) {}
