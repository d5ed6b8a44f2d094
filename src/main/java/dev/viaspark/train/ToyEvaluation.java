package dev.viaspark.train;

import dev.viaspark.config.ConfigLayers;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.edit.Device;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.storage.Storage;
import dev.viaspark.toy.ToyAccuracy;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToySplit;
import dev.viaspark.video.VideoFrame;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Edit accuracy of a checkpoint on held-out toy examples, edited one frame at a time through the job's own
 * InstructPix2Pix editor and scored by {@link ToyAccuracy}.
 */
public final class ToyEvaluation {
  /** The edit settings the toy model is evaluated (and demonstrated) with. */
  public static final int STEPS = 20;
  public static final double GUIDANCE = 5.0;
  public static final double IMAGE_GUIDANCE = 2.0;
  /** Held-out seeds are drawn from here upwards; training walks TRAIN seeds only, so any start is unseen. */
  public static final long FIRST_SEED = 0;

  private ToyEvaluation() {}

  /**
   * @param correct share of examples {@link ToyAccuracy.Score#correct()}
   * @param meanColourDistance over colour edits
   * @param meanOutsideChange over all examples
   */
  public record Summary(int examples, double correct, double meanColourDistance, double meanOutsideChange) {
    public String describe() {
      return String.format("%d held-out examples: %.0f%% correct, mean colour distance %.1f, mean outside change %.1f",
          examples, 100 * correct, meanColourDistance, meanOutsideChange);
    }
  }

  /** The job's settings for editing with {@code checkpoint} as the toy model is evaluated, then {@code overrides}. */
  public static ViasparkSettings settings(Path checkpoint, List<String> overrides) {
    ConfigLayers layers = new ConfigLayers().set("edit.editor", "ip2p").set("model.path", checkpoint.toString())
        .set("edit.steps", String.valueOf(STEPS)).set("edit.guidance-scale", String.valueOf(GUIDANCE))
        .set("edit.image-guidance-scale", String.valueOf(IMAGE_GUIDANCE));
    for (String kv : overrides) layers.set(kv);
    return layers.resolve();
  }

  public static InstructPix2PixEditor editor(ViasparkSettings settings) {
    return (InstructPix2PixEditor) new InstructPix2PixEditor.Provider().create("ip2p", settings.config(), Device.CPU,
        Storage.local());
  }

  /** The editor for {@code checkpoint} with the toy evaluation settings. */
  public static InstructPix2PixEditor editor(Path checkpoint) {
    return editor(settings(checkpoint, List.of()));
  }

  /** Edits {@code example}'s source as a one-frame video seeded by {@code seed}. */
  public static VideoFrame edit(InstructPix2PixEditor editor, ToyExample example, long seed) {
    String instruction = example.instruction().text();
    VideoFrame source = example.source();
    VideoContext video = new VideoContext("toy-" + seed, "toy-" + seed, instruction, source.width(), source.height(),
        25, 1, seed, Map.of());
    return editor.edit(video, instruction, List.of(source), AttentionHook.NONE).get(0);
  }

  /** Scores the first {@code count} held-out examples from {@link #FIRST_SEED}. */
  public static Summary heldOut(InstructPix2PixEditor editor, int count) {
    List<ToyExample> examples = ToyDataset.examples(ToySplit.HELD_OUT, FIRST_SEED, dev.viaspark.toy.ToyFrame.SIZE)
        .limit(count).toList();
    int correct = 0, colourEdits = 0;
    double colour = 0, outside = 0;
    for (int i = 0; i < examples.size(); i++) {
      ToyAccuracy.Score s = ToyAccuracy.score(examples.get(i), edit(editor, examples.get(i), i));
      if (s.correct()) correct++;
      if (!Double.isNaN(s.colourDistance())) {
        colour += s.colourDistance();
        colourEdits++;
      }
      outside += s.outsideChange();
    }
    return new Summary(examples.size(), correct / (double) examples.size(),
        colourEdits == 0 ? Double.NaN : colour / colourEdits, outside / examples.size());
  }
}
