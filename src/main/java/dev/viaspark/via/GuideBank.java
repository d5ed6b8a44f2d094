package dev.viaspark.via;

import dev.viaspark.metrics.MotionChain;
import dev.viaspark.metrics.MotionWarp;
import dev.viaspark.video.ImageFiles;
import dev.viaspark.video.VideoFrame;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

  /** Writes the guides and their source frames (same order, same indices) into the bank folder. */
  public static void write(Path bankDir, List<VideoFrame> guides, List<VideoFrame> sources)
      throws IOException {
    for (int i = 0; i < guides.size(); i++) {
      ImageFiles.write(guides.get(i), bankDir.resolve(name("guide-", guides.get(i))).toFile());
      ImageFiles.write(
          sources.get(i), bankDir.resolve(name("guide-source-", sources.get(i))).toFile());
    }
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
   * it, carried frame to frame along the source's motion through every frame between ({@link
   * MotionWarp}, one step per pair of consecutive frames, where the displacements are small enough
   * for the optical flow to follow); frames before the first guide take its edit directly. Frames
   * are cheapest asked for in ascending order: the carrier continues from the frame before, and
   * otherwise walks again from the guide, reading the frames between with {@code sourceAt}. Either
   * way a frame comes out the same, so the output does not depend on segmentation.
   *
   * @param sourceAt the video's source frame of an index
   */
  public Carrier carrier(IntFunction<VideoFrame> sourceAt) {
    return new Carrier(sourceAt);
  }

  /** See {@link #carrier}. */
  public final class Carrier {
    private final IntFunction<VideoFrame> sourceAt;
    private int guide = -1;
    private MotionChain chain;

    private Carrier(IntFunction<VideoFrame> sourceAt) {
      this.sourceAt = sourceAt;
    }

    /** The frame with its guide's edit carried onto it. */
    public VideoFrame carry(VideoFrame frame) {
      int g = -1;
      for (int i = 0; i < guides.size() && guides.get(i).index() <= frame.index(); i++) g = i;
      if (g < 0) return MotionWarp.carry(guides.get(0), sources.get(0), frame);
      if (guides.get(g).index() == frame.index()) {
        startChain(g);
        return frame.withPixels(guides.get(g).rgb().clone());
      }
      if (g != guide || chain.index() != frame.index() - 1) {
        startChain(g);
        for (int i = guides.get(g).index() + 1; i < frame.index(); i++)
          chain.next(sourceAt.apply(i));
      }
      return chain.next(frame);
    }

    private void startChain(int g) {
      guide = g;
      chain = new MotionChain(guides.get(g), sources.get(g));
    }
  }

  private static String name(String prefix, VideoFrame f) {
    return String.format(Locale.ROOT, "%s%06d.png", prefix, f.index());
  }

  private static VideoFrame at(int index, VideoFrame f) {
    return new VideoFrame(index, f.width(), f.height(), f.rgb());
  }
}
