/**
 * Checkpoint loading and writing for the diffusion models: a {@link TensorSource} supplies tensors
 * by name, from safetensors files ({@link SafetensorsSource}, {@link SafetensorsFile}, found by
 * {@link ComponentFiles}) or seeded random values ({@link RandomTensorSource}, for benchmarks).
 * {@link WeightLoading} and its {@link Weights} views hand tensors to the model classes by
 * checkpoint key and report every missing, mis-shaped or unused tensor in one {@link
 * CheckpointException}. {@link SafetensorsWriter} writes safetensors files and {@link Dtypes}
 * converts stored dtypes; the models in the sibling packages, the K/V bank files and the training
 * code use them.
 */
package dev.viaspark.diffusion.weights;
