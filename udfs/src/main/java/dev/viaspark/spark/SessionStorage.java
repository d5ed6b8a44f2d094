package dev.viaspark.spark;

import dev.viaspark.storage.Storage;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Storage with a session's {@code spark.hadoop.*} properties, so executors reach the same file
 * systems.
 */
public final class SessionStorage {
  private SessionStorage() {}

  public static Storage of(SparkSession session) {
    return Storage.fromSparkProperties(sparkProperties(session));
  }

  /** Every Spark property of the session, by key. */
  public static Map<String, String> sparkProperties(SparkSession session) {
    Map<String, String> m = new HashMap<>();
    for (Tuple2<String, String> kv : session.sparkContext().getConf().getAll())
      m.put(kv._1(), kv._2());
    return m;
  }
}
