package dev.viaspark.udfs;

import dev.viaspark.spark.SessionStorage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * viaspark's Spark SQL functions. {@link #register} adds them to a session:
 *
 * <ul>
 *   <li>{@code viaspark_probe(path)}: struct {@code duration, fps, frames, width, height, keyframes
 *       (array of frame indices), has_audio, video_codec, audio_codec, error}; an unreadable video
 *       gives a struct with only {@code error} set (naming the file and the cause), so one bad row
 *       does not fail the query;
 *   <li>{@code viaspark_segments(path, frames)}: the keyframe-aligned segments the edit job would
 *       make with {@code video.segment-frames = frames}: array of struct {@code index, start, end,
 *       frames, start_seconds} (null for an unreadable video);
 *   <li>{@code viaspark_edit_image(bytes, instruction [, options])}: an image (PNG, JPEG, ...)
 *       edited with InstructPix2Pix, as PNG bytes (null when the bytes are not an image); settings
 *       come from the session's {@code spark.viaspark.*} properties and the {@code options} map of
 *       viaspark settings, e.g. {@code map('model.path', 's3a://models/ip2p', 'edit.steps', '20')}
 *       ({@code model.path} is required);
 *   <li>{@code viaspark_image_size(bytes)}: struct {@code width, height} of an image, null if it is
 *       not one.
 * </ul>
 *
 * Paths are anything Hadoop reads (local, {@code hdfs://}, {@code s3a://}), with the session's
 * Hadoop settings.
 */
public final class ViasparkFunctions {
  private ViasparkFunctions() {}

  /** The session's {@code spark.viaspark.KEY} properties as viaspark settings {@code KEY}. */
  static Map<String, String> sessionSettings(SparkSession spark) {
    Map<String, String> out = new HashMap<>();
    SessionStorage.sparkProperties(spark)
        .forEach(
            (k, v) -> {
              if (k.startsWith("spark.viaspark."))
                out.put(k.substring("spark.viaspark.".length()), v);
            });
    return out;
  }

  /** Registers every function under its {@code viaspark_} name in the session. */
  public static void register(SparkSession spark) {
    VideoFunctions videos = new VideoFunctions(SessionStorage.of(spark));
    spark.udf().register("viaspark_probe", videos.probe(), VideoFunctions.PROBE_TYPE);
    spark.udf().register("viaspark_segments", videos.segments(), VideoFunctions.SEGMENTS_TYPE);
    spark.udf().register("viaspark_image_size", ImageFunctions.size(), ImageFunctions.SIZE_TYPE);

    ImageFunctions images = ImageFunctions.forSession(spark);
    UserDefinedFunction two = functions.udf(images.editImage(), DataTypes.BinaryType);
    UserDefinedFunction three = functions.udf(images.editImageWithOptions(), DataTypes.BinaryType);
    // one name, two arities: Spark's UDF registration takes a single arity, so the builder picks by
    // argument count
    spark
        .sessionState()
        .functionRegistry()
        .createOrReplaceTempFunction(
            "viaspark_edit_image",
            (scala.Function1<Seq<Expression>, Expression>)
                args -> {
                  List<Expression> a = JavaConverters.seqAsJavaList(args);
                  Column[] cols = a.stream().map(Column::new).toArray(Column[]::new);
                  return switch (cols.length) {
                    case 2 -> two.apply(cols).expr();
                    case 3 -> three.apply(cols).expr();
                    default ->
                        throw new IllegalArgumentException(
                            "viaspark_edit_image takes (bytes, instruction) or "
                                + "(bytes, instruction, options map), not "
                                + cols.length
                                + " arguments");
                  };
                },
            "java_udf");
  }
}
