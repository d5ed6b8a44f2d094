package dev.viaspark.udfs;

import dev.viaspark.storage.Errors;
import dev.viaspark.storage.Storage;
import dev.viaspark.storage.TempFolder;
import dev.viaspark.video.Segment;
import dev.viaspark.video.SegmentPlanner;
import dev.viaspark.video.VideoInfo;
import dev.viaspark.video.VideoProbe;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code viaspark_probe} and {@code viaspark_segments}: what the edit job's probe and planner see,
 * as SQL values.
 */
final class VideoFunctions implements Serializable {
  static final StructType PROBE_TYPE =
      new StructType()
          .add("duration", DataTypes.DoubleType)
          .add("fps", DataTypes.DoubleType)
          .add("frames", DataTypes.IntegerType)
          .add("width", DataTypes.IntegerType)
          .add("height", DataTypes.IntegerType)
          .add("keyframes", DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add("has_audio", DataTypes.BooleanType)
          .add("video_codec", DataTypes.StringType)
          .add("audio_codec", DataTypes.StringType)
          .add("error", DataTypes.StringType);

  static final StructType SEGMENT_TYPE =
      new StructType()
          .add("index", DataTypes.IntegerType, false)
          .add("start", DataTypes.IntegerType, false)
          .add("end", DataTypes.IntegerType, false)
          .add("frames", DataTypes.IntegerType, false)
          .add("start_seconds", DataTypes.DoubleType, false);

  static final DataType SEGMENTS_TYPE = DataTypes.createArrayType(SEGMENT_TYPE, false);

  private final Storage storage;

  VideoFunctions(Storage storage) {
    this.storage = storage;
  }

  UDF1<String, Row> probe() {
    return path -> {
      if (path == null) return null;
      try {
        VideoInfo i = probe(path);
        List<Integer> keyframes = new ArrayList<>();
        for (int k : i.keyframes()) keyframes.add(k);
        return RowFactory.create(
            i.durationSeconds(),
            i.frameRate().value(),
            i.frameCount(),
            i.width(),
            i.height(),
            keyframes,
            i.hasAudio(),
            i.videoCodec(),
            i.audioCodec(),
            null);
      } catch (Exception e) {
        return RowFactory.create(
            null, null, null, null, null, null, null, null, null, Errors.describe(path, e));
      }
    };
  }

  UDF2<String, Integer, List<Row>> segments() {
    return (path, frames) -> {
      if (path == null || frames == null) return null;
      if (frames < 1)
        throw new IllegalArgumentException(
            "viaspark_segments: frames = " + frames + ": must be >= 1");
      VideoInfo info;
      try {
        info = probe(path);
      } catch (Exception e) {
        return null; // viaspark_probe(path).error says why
      }
      List<Row> out = new ArrayList<>();
      double fps = info.frameRate().value();
      for (Segment s : SegmentPlanner.plan(info, frames)) {
        out.add(RowFactory.create(s.index(), s.start(), s.end(), s.frames(), s.start() / fps));
      }
      return out;
    };
  }

  private VideoInfo probe(String path) throws Exception {
    try (TempFolder tmp = TempFolder.create("viaspark-udf")) {
      return VideoProbe.probe(storage.localCopy(path, tmp.dir()));
    }
  }
}
