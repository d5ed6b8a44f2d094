package dev.viaspark.udfs;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import scala.collection.Map;

/**
 * {@code viaspark_edit_image(bytes, instruction, options)} for registerJavaFunction (see {@link
 * ProbeUdf}): the options map's viaspark settings override the session's. Return type: {@link
 * #TYPE}.
 */
public final class EditImageWithOptionsUdf
    implements UDF3<byte[], String, Map<String, String>, byte[]> {
  public static final String TYPE = "binary";
  private final UDF3<byte[], String, Map<String, String>, byte[]> edit =
      ImageFunctions.forSession(SparkSession.active()).editImageWithOptions();

  @Override
  public byte[] call(byte[] bytes, String instruction, Map<String, String> options)
      throws Exception {
    return edit.call(bytes, instruction, options);
  }
}
