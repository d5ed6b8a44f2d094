package dev.viaspark.udfs;

import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.FrameEditor;
import dev.viaspark.edit.FrameEditors;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.TorchThreads;
import dev.viaspark.spark.SessionStorage;
import dev.viaspark.spark.TaskDevice;
import dev.viaspark.storage.Storage;
import dev.viaspark.video.ImageCodec;
import dev.viaspark.video.VideoFrame;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * {@code viaspark_edit_image} and {@code viaspark_image_size}. Edit settings come from the
 * session's {@code spark.viaspark.*} properties (e.g. {@code spark.viaspark.model.path}),
 * overridden by the call's options map; they are validated like the job's, and a bad key or value
 * fails the query with the key's name. Bytes that are not an image give null.
 */
final class ImageFunctions implements Serializable {
  static final StructType SIZE_TYPE =
      new StructType()
          .add("width", DataTypes.IntegerType, false)
          .add("height", DataTypes.IntegerType, false);

  private final Storage storage;
  private final Map<String, String> sessionSettings;

  /**
   * Resolved settings by options map: resolving validates every key, too slow to repeat for every
   * row.
   */
  private transient Map<Map<String, String>, ViasparkSettings> resolved;

  ImageFunctions(Storage storage, Map<String, String> sessionSettings) {
    this.storage = storage;
    this.sessionSettings = Map.copyOf(sessionSettings);
  }

  /** With the session's Hadoop settings and {@code spark.viaspark.*} properties. */
  static ImageFunctions forSession(SparkSession spark) {
    return new ImageFunctions(SessionStorage.of(spark), ViasparkFunctions.sessionSettings(spark));
  }

  static UDF1<byte[], Row> size() {
    return bytes -> {
      VideoFrame f = ImageCodec.decode(bytes);
      return f == null ? null : RowFactory.create(f.width(), f.height());
    };
  }

  UDF2<byte[], String, byte[]> editImage() {
    return (bytes, instruction) -> edit(bytes, instruction, Map.of());
  }

  // qualified: java.util.Map is the one imported
  UDF3<byte[], String, scala.collection.Map<String, String>, byte[]> editImageWithOptions() {
    return (bytes, instruction, options) ->
        edit(bytes, instruction, options == null ? Map.of() : JavaConverters.mapAsJavaMap(options));
  }

  private byte[] edit(byte[] bytes, String instruction, Map<String, String> options) {
    ViasparkSettings s = settings(options);
    VideoFrame frame = ImageCodec.decode(bytes);
    if (frame == null || instruction == null) return null;
    Device device = TaskDevice.current();
    TorchThreads.share(device.isGpu() ? 0 : TaskDevice.cpuThreads(s.cpuThreads));
    FrameEditor editor = FrameEditors.shared(s.editor, s.config(), device, storage);
    VideoContext context =
        new VideoContext(
            "viaspark_edit_image",
            "viaspark_edit_image",
            instruction,
            frame.width(),
            frame.height(),
            0,
            1,
            s.seed,
            Map.of());
    try (FrameEditor.Session session = editor.open(context)) {
      return ImageCodec.encode(session.edit(List.of(frame)).get(0), ".png");
    }
  }

  private synchronized ViasparkSettings settings(Map<String, String> options) {
    if (resolved == null) resolved = new HashMap<>();
    ViasparkSettings s = resolved.get(options);
    if (s == null) {
      s = resolve(options);
      resolved.put(Map.copyOf(options), s);
    }
    return s;
  }

  private ViasparkSettings resolve(Map<String, String> options) {
    ConfigLayers layers = new ConfigLayers();
    layers.set("edit.editor", "ip2p");
    sessionSettings.forEach(layers::set);
    options.forEach(layers::set);
    return layers.resolve();
  }
}
