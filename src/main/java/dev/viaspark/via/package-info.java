/**
 * Gather-and-swap for temporally consistent InstructPix2Pix edits, built on the attention hooks of
 * {@code dev.viaspark.diffusion.attention}. Gathering ({@link ViaGather}, {@link GatherHook}) edits
 * a video's {@link Anchors} frames in turn and collects their attention keys and values, in the
 * layers a {@link LayerSelection} picks, into a {@link KvBank}; swapping ({@link ViaSwap}, {@link
 * SwapHook}) edits every frame with the bank's keys and values swapped in. Banks live in memory
 * ({@link InMemoryKvBank}) or in a checksummed folder ({@link KvBankFiles}, {@link FileKvBank});
 * {@link BankHandle} and {@link BankCache} move them to and share them on executors. The job's
 * gather and edit stages drive it.
 */
package dev.viaspark.via;
