/**
 * The job's configuration: {@link ConfigLayers} merges reference.conf, a {@code --config} HOCON
 * file, manifest columns and {@code --set} pairs, and separates {@code spark.*} properties from
 * viaspark keys; {@link ViasparkSettings} is the validated, typed and serializable result that
 * travels to executors, and {@link SettingsException} lists every invalid key before Spark starts.
 * Settings refer to editor names from {@code dev.viaspark.edit} and encoder choices from {@code
 * dev.viaspark.video}; the job, the SQL functions and the editors read them.
 */
package dev.viaspark.config;
