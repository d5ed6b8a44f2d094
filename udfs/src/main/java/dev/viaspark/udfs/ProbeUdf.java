package dev.viaspark.udfs;

import dev.viaspark.spark.SessionStorage;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;

/**
 * {@code viaspark_probe(path)} for {@code spark.udf.registerJavaFunction} (PySpark) or {@code
 * CREATE FUNCTION}: Spark instantiates it on the driver, where it takes the active session's Hadoop
 * settings. Return type: {@link #TYPE}.
 */
public final class ProbeUdf implements UDF1<String, Row> {
  /** The return type as PySpark's registerJavaFunction takes it. */
  public static final String TYPE = VideoFunctions.PROBE_TYPE.simpleString();

  private final UDF1<String, Row> probe =
      new VideoFunctions(SessionStorage.of(SparkSession.active())).probe();

  @Override
  public Row call(String path) throws Exception {
    return probe.call(path);
  }
}
