package dev.viaspark.udfs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;

/**
 * {@code viaspark_image_size(bytes)} for registerJavaFunction (see {@link ProbeUdf}). Return type:
 * {@link #TYPE}.
 */
public final class ImageSizeUdf implements UDF1<byte[], Row> {
  public static final String TYPE = ImageFunctions.SIZE_TYPE.simpleString();
  private final UDF1<byte[], Row> size = ImageFunctions.size();

  @Override
  public Row call(byte[] bytes) throws Exception {
    return size.call(bytes);
  }
}
