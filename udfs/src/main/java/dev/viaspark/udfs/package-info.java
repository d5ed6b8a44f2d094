/**
 * viaspark's Spark SQL functions over the engine: {@link ViasparkFunctions#register} adds {@code
 * viaspark_probe}, {@code viaspark_segments}, {@code viaspark_edit_image} and {@code
 * viaspark_image_size} to a session, and {@link ProbeUdf}, {@link SegmentsUdf}, {@link
 * EditImageUdf}, {@link EditImageWithOptionsUdf} and {@link ImageSizeUdf} expose the same functions
 * as classes for {@code registerJavaFunction} or {@code CREATE FUNCTION}. Settings come from the
 * session's {@code spark.viaspark.*} properties; storage and the task's device come from {@code
 * dev.viaspark.spark}, which the edit job uses too.
 */
package dev.viaspark.udfs;
