package dev.viaspark.via;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.viaspark.config.ViasparkSettings;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.LoraAdapter;
import dev.viaspark.diffusion.train.LoraTuning;
import dev.viaspark.edit.VideoContext;
import dev.viaspark.edit.diffusion.InstructPix2PixEditor;
import dev.viaspark.video.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Via's test-time editing adaptation for one video (section 4.1): the root frame (the first anchor)
 * is edited with {@code via.tta.candidates} seeds; the candidate closest to the others (the medoid
 * by mean absolute pixel difference: the edit most candidates agree on, no extra model needed) or
 * the one {@code via.tta.root-candidate} names is kept; low-rank adapters of the UNet's attention
 * projections are tuned on augmented copies of that pair ({@link PairAugmentation}), so that every
 * frame is edited the way the root was.
 */
public final class ViaTta {
  private static final long CANDIDATE_SEED_STEP = 0x9E3779B97F4A7C15L;

  private ViaTta() {}

  /**
   * @param candidates the root's edits, the first with the video's own seed
   * @param chosen the index of the candidate tuned on
   */
  public record Outcome(LoraAdapter adapter, List<VideoFrame> candidates, int chosen) {}

  /** Tunes the video's adapter on {@code root}; its arrays are on {@code manager}. */
  public static Outcome tune(
      InstructPix2PixEditor editor,
      VideoContext video,
      VideoFrame root,
      ViasparkSettings s,
      NDManager manager) {
    String instruction = InstructPix2PixEditor.instructionOf(video);
    List<VideoFrame> candidates = new ArrayList<>();
    for (int c = 0; c < s.ttaCandidates; c++) {
      candidates.addAll(
          editor.edit(withSeed(video, c), instruction, List.of(root), AttentionHook.NONE));
    }
    int chosen = s.ttaRootCandidate >= 0 ? s.ttaRootCandidate : medoid(candidates);
    VideoFrame edited = candidates.get(chosen);
    LoraTuning.Examples examples =
        (m, step, batch) -> {
          SplittableRandom rng = new SplittableRandom(video.seed() * 31 + step);
          List<VideoFrame> sources = new ArrayList<>(), edits = new ArrayList<>();
          for (int i = 0; i < batch; i++) {
            VideoFrame[] pair = PairAugmentation.apply(root, edited, rng);
            sources.add(pair[0]);
            edits.add(pair[1]);
          }
          return new NDList(
              InstructPix2PixEditor.modelImages(m, sources),
              InstructPix2PixEditor.modelImages(m, edits));
        };
    LoraAdapter adapter =
        LoraTuning.tune(
            editor.pipeline(),
            instruction,
            examples,
            new LoraTuning.Settings(
                s.ttaSteps,
                s.ttaRank,
                (float) s.ttaLearningRate,
                s.ttaExamplesPerStep,
                video.seed()),
            manager,
            (step, loss) -> {});
    return new Outcome(adapter, candidates, chosen);
  }

  /** The video with the seed of root candidate {@code c} (0: the video's own). */
  static VideoContext withSeed(VideoContext v, int c) {
    return v.withSeed(v.seed() + c * CANDIDATE_SEED_STEP);
  }

  /** The index of the frame with the least total mean absolute difference to the others. */
  static int medoid(List<VideoFrame> frames) {
    int best = 0;
    double bestSum = Double.MAX_VALUE;
    for (int i = 0; i < frames.size(); i++) {
      double sum = 0;
      for (int j = 0; j < frames.size(); j++) {
        if (i != j) sum += meanAbsDiff(frames.get(i).rgb(), frames.get(j).rgb());
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = i;
      }
    }
    return best;
  }

  private static double meanAbsDiff(byte[] a, byte[] b) {
    long s = 0;
    for (int i = 0; i < a.length; i++) s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    return (double) s / a.length;
  }
}
