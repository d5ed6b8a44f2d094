package dev.viaspark.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The Spark session the commands start: local Spark unless spark-submit (or {@code --set
 * spark.master}) chose one.
 */
final class SparkSessions {
  private SparkSessions() {}

  /**
   * The Spark properties the job starts with: spark-submit's (system properties), then the
   * settings' spark.* keys, with viaspark's defaults (local[*], app name viaspark, no console
   * progress bar, and executors whose idle libtorch threads sleep instead of spinning, which
   * starves the other tasks and processes of a shared machine: OMP_WAIT_POLICY=PASSIVE).
   */
  static Map<String, String> conf(Map<String, String> properties) {
    SparkConf conf = new SparkConf();
    properties.forEach(conf::set);
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.app.name", "viaspark");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
    Map<String, String> m = new LinkedHashMap<>();
    for (Tuple2<String, String> kv : conf.getAll()) m.put(kv._1(), kv._2());
    return m;
  }

  static SparkSession start(Map<String, String> properties) {
    SparkConf conf = new SparkConf(false);
    conf(properties).forEach(conf::set);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
