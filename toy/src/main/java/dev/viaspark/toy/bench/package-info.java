/**
 * {@code viaspark bench toy}: {@link ToyBench} edits held-out toy videos, whose right results are
 * known, per frame and with Via gather-and-swap (each with shared and with per-frame noise) and
 * reports accuracy per instruction family, temporal consistency and time; with {@code --held-out N}
 * it scores single frames, binding and the VAE round trip. It runs the same editor, gather and swap
 * code as the job.
 */
package dev.viaspark.toy.bench;
