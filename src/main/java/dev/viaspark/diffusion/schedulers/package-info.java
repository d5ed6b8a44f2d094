/**
 * Diffusion samplers reproducing diffusers' schedulers in float32: {@link Scheduler} reads a {@code
 * scheduler_config.json} and makes a stateless per-run {@link Schedule}, implemented by {@link
 * DdimScheduler}, {@link EulerDiscreteScheduler} and {@link EulerAncestralDiscreteScheduler}; each
 * step returns a {@link StepOutput}. Random draws come from a {@link NoiseSource}: {@link
 * SeededNoise} for deterministic noise from a seed, {@link TorchNoise} for what PyTorch's CPU
 * generator draws from a seed, {@link ReplayNoise} to replay recorded tensors. {@link
 * TrainingSchedule} exposes the forward noising process for training code. The pipeline in {@code
 * dev.viaspark.diffusion.pipeline} drives these.
 */
package dev.viaspark.diffusion.schedulers;
