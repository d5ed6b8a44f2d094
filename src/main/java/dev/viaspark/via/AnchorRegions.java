package dev.viaspark.via;

import dev.viaspark.metrics.MotionChain;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regions a video's anchors kept with a mask the model finds ({@code edit.mask-auto-regions =
 * follow}), kept in its bank folder with the anchors' source frames ({@code region-000050.png},
 * {@code region-source-000050.png}) so that they travel with its K/V to every task. Each frame then
 * keeps the region over the one its anchor kept, carried onto it along the source's motion ({@link
 * #carrier}), so that every frame of the video edits the same thing.
 */
public final class AnchorRegions {
  private static final Pattern REGION = Pattern.compile("region-(\\d+)\\.png");

  private final List<VideoFrame> sources;
  private final List<float[]> regions;

  private AnchorRegions(List<VideoFrame> sources, List<float[]> regions) {
    this.sources = sources;
    this.regions = regions;
  }

  /** One anchor's region (one byte per pixel, 255 inside) on its source frame. */
  static AnchorRegions of(VideoFrame source, byte[] region) {
    return new AnchorRegions(List.of(source), List.of(shares(region, 1)));
  }

  /** Every {@code stride}-th byte (0-255) as a share, 0-1. */
  private static float[] shares(byte[] bytes, int stride) {
    float[] out = new float[bytes.length / stride];
    for (int p = 0; p < out.length; p++) out[p] = (bytes[stride * p] & 0xff) / 255f;
    return out;
  }

  /**
   * Writes the anchors' regions (one byte per pixel, 255 inside) and source frames, in the same
   * order, into {@code dir} (created if missing), and returns them by name: the files to list in
   * the bank ({@link KvBankFiles#write(InMemoryKvBank, Path, ai.djl.ndarray.types.DataType, Map)}),
   * so that a rerun finds a bank missing one incomplete.
   */
  public static Map<String, Path> write(Path dir, List<VideoFrame> sources, List<byte[]> regions)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Path> files = new TreeMap<>();
    for (int i = 0; i < sources.size(); i++) {
      VideoFrame source = sources.get(i);
      byte[] gray = regions.get(i), rgb = new byte[3 * gray.length];
      for (int p = 0; p < gray.length; p++) Arrays.fill(rgb, 3 * p, 3 * p + 3, gray[p]);
      File region = file(dir, "region-", source.index());
      File regionSource = file(dir, "region-source-", source.index());
      ImageFiles.write(source.withPixels(rgb), region);
      ImageFiles.write(source, regionSource);
      files.put(region.getName(), region.toPath());
      files.put(regionSource.getName(), regionSource.toPath());
    }
    return files;
  }

  /**
   * The regions a bank folder holds, or null when it holds none; a {@link CorruptBankException}
   * names the folder when one cannot be read.
   */
  public static AnchorRegions readIfAny(Path bankDir) {
    File[] files = bankDir.toFile().listFiles();
    if (files == null) return null;
    Arrays.sort(files);
    List<VideoFrame> sources = new ArrayList<>();
    List<float[]> regions = new ArrayList<>();
    try {
      for (File f : files) {
        Matcher m = REGION.matcher(f.getName());
        if (!m.matches()) continue;
        int index = Integer.parseInt(m.group(1));
        float[] region = shares(ImageFiles.read(f).rgb(), 3);
        VideoFrame source = ImageFiles.read(file(bankDir, "region-source-", index));
        sources.add(new VideoFrame(index, source.width(), source.height(), source.rgb()));
        regions.add(region);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptBankException(bankDir + ": unreadable anchor regions: " + e.getMessage());
    }
    return sources.isEmpty() ? null : new AnchorRegions(sources, regions);
  }

  /**
   * A carrier for one session's frames: each frame is given the region of the last anchor at or
   * before it, carried along the source's motion ({@link KeyframeCarrier}), one byte per pixel
   * (255: the region); a frame before the first anchor is given none (all 0).
   *
   * @param sourceAt the video's source frame of an index
   */
  public Carrier carrier(IntFunction<VideoFrame> sourceAt) {
    return new Carrier(sourceAt);
  }

  /** See {@link #carrier}. */
  public final class Carrier {
    private final KeyframeCarrier<float[]> carrier;

    private Carrier(IntFunction<VideoFrame> sourceAt) {
      carrier =
          new KeyframeCarrier<>(
              sources.stream().mapToInt(VideoFrame::index).toArray(),
              a -> MotionChain.ofMap(regions.get(a), sources.get(a)),
              MotionChain::nextMap,
              (a, frame) -> regions.get(a),
              frame -> new float[frame.width() * frame.height()],
              sourceAt);
    }

    /** The region to follow on {@code frame}, a source frame. */
    public byte[] carry(VideoFrame frame) {
      float[] region = carrier.carry(frame);
      byte[] out = new byte[region.length];
      for (int p = 0; p < out.length; p++)
        out[p] = (byte) Math.round(255 * Math.max(0f, Math.min(1f, region[p])));
      return out;
    }
  }

  private static File file(Path bankDir, String prefix, int index) {
    return bankDir.resolve(String.format(Locale.ROOT, "%s%06d.png", prefix, index)).toFile();
  }
}
