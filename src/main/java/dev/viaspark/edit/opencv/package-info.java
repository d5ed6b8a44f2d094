/**
 * Classical, deterministic CPU frame editors built on OpenCV: {@link OpenCvEditors} implements
 * grayscale, sepia, cartoon, stylize and pencil edits and their providers, registered under {@code
 * opencv:NAME} and the short name. They plug into the {@code dev.viaspark.edit} SPI like the
 * diffusion editor, but ignore the instruction and the device.
 */
package dev.viaspark.edit.opencv;
