package dev.viaspark.udfs;

import dev.viaspark.storage.Storage;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/** Storage with a session's {@code spark.hadoop.*} properties, so executors reach the same file systems. */
public final class SessionStorage {
  private SessionStorage() {}

  public static Storage of(SparkSession spark) {
    Map<String, String> hadoop = new HashMap<>();
    for (Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) hadoop.put(kv._1().substring("spark.hadoop.".length()), kv._2());
    }
    return new Storage(hadoop);
  }
}
