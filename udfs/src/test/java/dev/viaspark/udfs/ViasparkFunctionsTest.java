package dev.viaspark.udfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.ImageCodec;
import dev.viaspark.video.SyntheticVideo;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The SQL functions, called through spark.sql as a data team would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViasparkFunctionsTest {
  static final File MODEL =
      new File("../src/test/resources/testvectors/checkpoint").getAbsoluteFile();
  @TempDir File dir;
  SparkSession spark;

  @BeforeAll
  void start() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("udfs")
            .config("spark.ui.enabled", "false")
            .config("spark.viaspark.model.path", MODEL.getPath())
            .config("spark.viaspark.edit.steps", "2")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    ViasparkFunctions.register(spark);
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  @Test
  void probeAndSegmentsDescribeVideosAndNameBrokenOnes() throws Exception {
    File good =
        new SyntheticVideo()
            .size(96, 64)
            .fps(25, 1)
            .frames(50)
            .gop(10)
            .audio(true)
            .write(new File(dir, "good.mp4"));
    File bad = new File(dir, "bad.mp4");
    Files.writeString(bad.toPath(), "not a video");
    spark
        .createDataFrame(List.of(new Path(good.getPath()), new Path(bad.getPath())), Path.class)
        .createOrReplaceTempView("videos");

    Row g =
        spark
            .sql("select viaspark_probe(path) p from videos where path like '%good.mp4'")
            .first()
            .getStruct(0);
    assertEquals(50, g.<Integer>getAs("frames"));
    assertEquals(25.0, g.<Double>getAs("fps"), 1e-9);
    assertEquals(2.0, g.<Double>getAs("duration"), 0.05);
    assertEquals(96, g.<Integer>getAs("width"));
    assertEquals(64, g.<Integer>getAs("height"));
    assertEquals(List.of(0, 10, 20, 30, 40), g.getList(g.fieldIndex("keyframes")));
    assertTrue(g.<Boolean>getAs("has_audio"));
    assertNull(g.getAs("error"));

    Row b =
        spark
            .sql("select viaspark_probe(path) p from videos where path like '%bad.mp4'")
            .first()
            .getStruct(0);
    assertNull(b.getAs("frames"));
    String error = b.getAs("error");
    assertTrue(error.contains("bad.mp4"), error);

    Dataset<Row> segments =
        spark.sql(
            "select s.* from (select explode(viaspark_segments(path, 20)) s from videos where path like '%good.mp4')");
    List<Row> rows = segments.orderBy("index").collectAsList();
    assertEquals(
        List.of(0, 20, 40),
        rows.stream().map(r -> r.<Integer>getAs("start")).toList(),
        "cuts on the keyframes nearest every 20 frames");
    assertEquals(50, rows.stream().mapToInt(r -> r.<Integer>getAs("frames")).sum());
    assertEquals(0.8, rows.get(1).<Double>getAs("start_seconds"), 1e-9);
    assertEquals(
        0,
        spark
            .sql("select viaspark_segments(path, 20) s from videos where path like '%bad.mp4'")
            .filter("s is not null")
            .count(),
        "an unreadable video has no segments");
  }

  @Test
  void editImageReturnsDeterministicPngsAndTakesOptions() {
    VideoFrame source = new VideoFrame(0, 48, 32, new SyntheticVideo().size(48, 32).frameRgb(3));
    byte[] png = ImageCodec.encode(source, ".png");
    spark
        .createDataFrame(List.of(new Image(png), new Image("junk".getBytes())), Image.class)
        .createOrReplaceTempView("images");

    List<Row> sizes = spark.sql("select viaspark_image_size(bytes) s from images").collectAsList();
    assertEquals(48, sizes.get(0).getStruct(0).<Integer>getAs("width"));
    assertTrue(sizes.get(1).isNullAt(0), "junk is not an image");

    List<Row> edited =
        spark
            .sql(
                "select viaspark_edit_image(bytes, 'make it snowy') a, "
                    + "viaspark_edit_image(bytes, 'make it snowy') b, "
                    + "viaspark_edit_image(bytes, 'make it snowy', map('edit.steps', '3')) c from images")
            .collectAsList();
    byte[] a = edited.get(0).getAs("a");
    VideoFrame out = ImageCodec.decode(a);
    assertEquals(48, out.width());
    assertEquals(32, out.height());
    assertFalse(Arrays.equals(source.rgb(), out.rgb()), "the image is edited");
    assertArrayEquals(a, edited.get(0).<byte[]>getAs("b"), "same input and settings, same bytes");
    assertFalse(
        Arrays.equals(a, edited.get(0).<byte[]>getAs("c")), "the options map changes the edit");
    assertTrue(edited.get(1).isNullAt(0), "junk gives null");

    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .sql(
                        "select viaspark_edit_image(bytes, 'x', map('edit.steps', '0')) from images")
                    .collect());
    assertTrue(String.valueOf(rootMessage(e)).contains("edit.steps"), rootMessage(e));
    Exception arity =
        assertThrows(
            Exception.class, () -> spark.sql("select viaspark_edit_image(bytes) from images"));
    assertTrue(arity.getMessage().contains("viaspark_edit_image"), arity.getMessage());
  }

  /**
   * docs/sql-functions.md's PySpark registration: each {@code registerJavaFunction(name, class,
   * type)} line goes through the JVM method PySpark calls ({@code UDFRegistration.registerJava}),
   * and the functions answer like the built-in ones.
   */
  @Test
  void readmePySparkRegistrationsWork() throws Exception {
    String readme = Files.readString(new File("../docs/sql-functions.md").toPath());
    Matcher m =
        Pattern.compile("reg\\(\"(viaspark_\\w+)\", \"([\\w.]+)\", \"([^\"]+)\"\\)")
            .matcher(readme);
    Map<String, String> registered = new HashMap<>();
    while (m.find()) {
      String name = "py_" + m.group(1);
      spark.udf().registerJava(name, m.group(2), DataType.fromDDL(m.group(3)));
      registered.put(m.group(1), m.group(2));
    }
    assertEquals(
        Set.of(
            "viaspark_probe",
            "viaspark_segments",
            "viaspark_image_size",
            "viaspark_edit_image",
            "viaspark_edit_image_with"),
        registered.keySet(),
        "every function is documented");

    File good =
        new SyntheticVideo()
            .size(64, 48)
            .fps(25, 1)
            .frames(30)
            .gop(10)
            .audio(false)
            .write(new File(dir, "py.mp4"));
    spark
        .createDataFrame(List.of(new Path(good.getPath())), Path.class)
        .createOrReplaceTempView("py_videos");
    Row r =
        spark
            .sql(
                "select py_viaspark_probe(path) a, viaspark_probe(path) b, "
                    + "py_viaspark_segments(path, 10) c, viaspark_segments(path, 10) d from py_videos")
            .first();
    assertEquals(r.get(1), r.get(0), "same probe struct");
    assertEquals(r.getList(3), r.getList(2), "same segments");

    byte[] png =
        ImageCodec.encode(
            new VideoFrame(0, 32, 32, new SyntheticVideo().size(32, 32).frameRgb(1)), ".png");
    spark
        .createDataFrame(List.of(new Image(png)), Image.class)
        .createOrReplaceTempView("py_images");
    Row e =
        spark
            .sql(
                "select py_viaspark_image_size(bytes) s, py_viaspark_edit_image(bytes, 'make it snowy') a, "
                    + "viaspark_edit_image(bytes, 'make it snowy') b, "
                    + "py_viaspark_edit_image_with(bytes, 'make it snowy', map('edit.steps', '3')) c, "
                    + "viaspark_edit_image(bytes, 'make it snowy', map('edit.steps', '3')) d from py_images")
            .first();
    assertEquals(32, e.getStruct(0).<Integer>getAs("width"));
    assertArrayEquals(e.<byte[]>getAs("b"), e.<byte[]>getAs("a"));
    assertArrayEquals(e.<byte[]>getAs("d"), e.<byte[]>getAs("c"));
  }

  private static String rootMessage(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) s.append(t.getMessage()).append(" | ");
    return s.toString();
  }

  /** A table row with one path. */
  public static class Path implements Serializable {
    private String path;

    public Path() {}

    Path(String path) {
      this.path = path;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String v) {
      path = v;
    }
  }

  /** A table row with one image. */
  public static class Image implements Serializable {
    private byte[] bytes;

    public Image() {}

    Image(byte[] bytes) {
      this.bytes = bytes;
    }

    public byte[] getBytes() {
      return bytes;
    }

    public void setBytes(byte[] v) {
      bytes = v;
    }
  }
}
