package dev.viaspark.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where the standard-normal tensors a sampler draws come from. Each call is one draw (diffusers'
 * {@code randn_tensor}) of the given shape, created in {@code manager}; a scheduler converts it to
 * the sample's dtype itself.
 */
public interface NoiseSource {
  NDArray next(NDManager manager, Shape shape);
}
