/**
 * Training on the engine's own model classes with DJL autograd: one optimisation step ({@link
 * dev.viaspark.diffusion.train.TrainingStep}) and its optimizer ({@link
 * dev.viaspark.diffusion.train.Adam}). The toy model's trainer and test-time adaptation both use
 * them.
 */
package dev.viaspark.diffusion.train;
