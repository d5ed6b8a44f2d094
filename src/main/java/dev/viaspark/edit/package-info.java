/**
 * The frame-editing SPI that sits between video decoding and encoding: a {@link FrameEditor} opens
 * a session per video ({@link VideoContext}) and edits batches of frames on a {@link Device}.
 * Editors are contributed by {@link FrameEditorProvider}s found with {@link
 * java.util.ServiceLoader}, and {@link FrameEditors} is the registry that keeps one editor per
 * name, settings and device per JVM. {@link IdentityEditor} returns frames unchanged; the diffusion
 * and OpenCV editors live in the {@code diffusion} and {@code opencv} subpackages.
 */
package dev.viaspark.edit;
