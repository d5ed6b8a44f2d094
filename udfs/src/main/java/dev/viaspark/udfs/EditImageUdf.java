package dev.viaspark.udfs;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;

/**
 * {@code viaspark_edit_image(bytes, instruction)} for registerJavaFunction (see {@link ProbeUdf}),
 * with the active session's {@code spark.viaspark.*} settings. Return type: {@link #TYPE}. A Java
 * UDF has one arity: register {@link EditImageWithOptionsUdf} under another name for the options
 * map.
 */
public final class EditImageUdf implements UDF2<byte[], String, byte[]> {
  public static final String TYPE = "binary";
  private final UDF2<byte[], String, byte[]> edit =
      ImageFunctions.forSession(SparkSession.active()).editImage();

  @Override
  public byte[] call(byte[] bytes, String instruction) throws Exception {
    return edit.call(bytes, instruction);
  }
}
