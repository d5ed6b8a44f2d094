package dev.viaspark.via;

import dev.viaspark.metrics.MotionChain;
import dev.viaspark.metrics.MotionWarp;
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
 * The guide frames of a guided edit ({@code edit.guide}) and the source frames they replace, kept
 * in the video's bank folder so that they travel with its K/V to every task ({@code
 * guide-000120.png}, {@code guide-source-000120.png}). Each frame of the video is first given the
 * edit of a guide, carried along the source's motion ({@link #carrier}).
 */
public final class GuideBank {
  private static final Pattern GUIDE = Pattern.compile("guide-(\\d+)\\.png");

  private final List<VideoFrame> guides;
  private final List<VideoFrame> sources;

  private GuideBank(List<VideoFrame> guides, List<VideoFrame> sources) {
    this.guides = guides;
    this.sources = sources;
  }

  /** Guides held in memory: edited frames and the source frames they replace, same indices. */
  public static GuideBank of(List<VideoFrame> guides, List<VideoFrame> sources) {
    return new GuideBank(List.copyOf(guides), List.copyOf(sources));
  }

  /**
   * Writes the guides and their source frames (same order, same indices) into {@code dir} (created
   * if missing), and returns them by name: the files to list in the bank ({@link
   * KvBankFiles#write(InMemoryKvBank, Path, ai.djl.ndarray.types.DataType, Map)}), so that a rerun
   * finds a bank missing one incomplete.
   */
  public static Map<String, Path> write(Path dir, List<VideoFrame> guides, List<VideoFrame> sources)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Path> files = new TreeMap<>();
    for (int i = 0; i < guides.size(); i++) {
      File guide = dir.resolve(name("guide-", guides.get(i))).toFile();
      File source = dir.resolve(name("guide-source-", sources.get(i))).toFile();
      ImageFiles.write(guides.get(i), guide);
      ImageFiles.write(sources.get(i), source);
      files.put(guide.getName(), guide.toPath());
      files.put(source.getName(), source.toPath());
    }
    return files;
  }

  /**
   * The guides a bank folder holds; a {@link CorruptBankException} names the folder when it holds
   * none or one cannot be read.
   */
  public static GuideBank read(Path bankDir) {
    File[] files = bankDir.toFile().listFiles();
    if (files == null) files = new File[0];
    Arrays.sort(files);
    List<VideoFrame> guides = new ArrayList<>(), sources = new ArrayList<>();
    try {
      for (File f : files) {
        Matcher m = GUIDE.matcher(f.getName());
        if (!m.matches()) continue;
        int index = Integer.parseInt(m.group(1));
        guides.add(at(index, ImageFiles.read(f)));
        File source = new File(bankDir.toFile(), "guide-source-" + m.group(1) + ".png");
        sources.add(at(index, ImageFiles.read(source)));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptBankException(bankDir + ": unreadable guide frames: " + e.getMessage());
    }
    if (guides.isEmpty()) {
      throw new CorruptBankException(bankDir + ": a guided edit's bank without its guide frames");
    }
    return new GuideBank(guides, sources);
  }

  /**
   * A carrier for one session's frames: each frame takes the edit of the last guide at or before
   * it, carried along the source's motion ({@link KeyframeCarrier}); frames before the first guide
   * take its edit directly ({@link MotionWarp}).
   *
   * @param sourceAt the video's source frame of an index
   */
  public Carrier carrier(IntFunction<VideoFrame> sourceAt) {
    return new Carrier(sourceAt);
  }

  /** See {@link #carrier}. */
  public final class Carrier {
    private final KeyframeCarrier<VideoFrame> carrier;

    private Carrier(IntFunction<VideoFrame> sourceAt) {
      carrier =
          new KeyframeCarrier<>(
              guides.stream().mapToInt(VideoFrame::index).toArray(),
              g -> new MotionChain(guides.get(g), sources.get(g)),
              MotionChain::next,
              (g, frame) -> frame.withPixels(guides.get(g).rgb().clone()),
              frame -> MotionWarp.carry(guides.get(0), sources.get(0), frame),
              sourceAt);
    }

    /** The frame with its guide's edit carried onto it. */
    public VideoFrame carry(VideoFrame frame) {
      return carrier.carry(frame);
    }
  }

  private static String name(String prefix, VideoFrame f) {
    return String.format(Locale.ROOT, "%s%06d.png", prefix, f.index());
  }

  private static VideoFrame at(int index, VideoFrame f) {
    return new VideoFrame(index, f.width(), f.height(), f.rgb());
  }
}
