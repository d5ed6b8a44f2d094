/**
 * viaspark's Spark SQL functions over the engine: {@link ViasparkFunctions#register} adds {@code viaspark_probe},
 * {@code viaspark_segments}, {@code viaspark_edit_image} and {@code viaspark_image_size} to a session, and
 * {@link ProbeUdf}, {@link SegmentsUdf}, {@link EditImageUdf}, {@link EditImageWithOptionsUdf} and
 * {@link ImageSizeUdf} expose the same functions as classes for {@code registerJavaFunction} or
 * {@code CREATE FUNCTION}. Settings come from the session's {@code spark.viaspark.*} properties. {@link SessionStorage}
 * (storage with the session's Hadoop settings) and {@link TaskDevice} (the running task's GPU or CPU) are also used
 * by the edit job in {@code dev.viaspark.job}.
 */
package dev.viaspark.udfs;
