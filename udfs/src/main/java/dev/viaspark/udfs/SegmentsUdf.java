package dev.viaspark.udfs;

import dev.viaspark.spark.SessionStorage;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;

/**
 * {@code viaspark_segments(path, frames)} for registerJavaFunction (see {@link ProbeUdf}). Return
 * type: {@link #TYPE}.
 */
public final class SegmentsUdf implements UDF2<String, Integer, List<Row>> {
  public static final String TYPE = VideoFunctions.SEGMENTS_TYPE.simpleString();
  private final UDF2<String, Integer, List<Row>> segments =
      new VideoFunctions(SessionStorage.of(SparkSession.active())).segments();

  @Override
  public List<Row> call(String path, Integer frames) throws Exception {
    return segments.call(path, frames);
  }
}
