package dev.viaspark.train;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.attention.AttentionHook;
import dev.viaspark.diffusion.attention.AttentionProbabilities;
import dev.viaspark.diffusion.attention.GuidanceBranch;
import dev.viaspark.diffusion.clip.ClipTokenizer;
import dev.viaspark.diffusion.pipeline.ImageTensors;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import dev.viaspark.diffusion.schedulers.TrainingSchedule;
import dev.viaspark.toy.ShapeKind;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToyFamily;
import dev.viaspark.toy.ToyInstruction;
import dev.viaspark.toy.ToyRenderer;
import dev.viaspark.toy.ToySplit;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test: does a trained toy model's cross-attention tie the shape's word to the
 * shape? Skipped unless {@code -Dviaspark.probe.model=DIR}. For held-out examples whose instruction
 * names one shape of several, it noises the target's latents at a few timesteps, runs the UNet with
 * the instruction and records every cross-attention layer's attention (mean over heads) from each
 * latent pixel to the shape word and to the colour word. Per layer and word it prints the attention
 * a named-shape pixel gets relative to the frame's mean pixel ("lift"), the same for the pixels of
 * the shapes left alone, and for the background. A model that binds shows a named lift well above
 * the kept lift. It also prints how alike the text encoder's outputs at the shape word are for the
 * three shape words (cosine similarity).
 *
 * <p>Run: {@code mvn -B -o install -DskipTests -pl src,toy && mvn -B -o test -pl toy
 * -Dtest=CrossAttentionProbe -Dviaspark.probe.model=DIR}.
 */
class CrossAttentionProbe {
  private static final int EXAMPLES = 24;

  @Test
  void probe() {
    String model = System.getProperty("viaspark.probe.model");
    assumeTrue(model != null, "no -Dviaspark.probe.model");
    Path dir = Path.of(model);
    ClipTokenizer tokenizer = ClipTokenizer.load(dir.resolve("tokenizer"));
    try (InstructPix2PixPipeline p =
            InstructPix2PixPipeline.load(dir, Device.cpu(), DataType.FLOAT32, 0);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      textSimilarity(p, m, tokenizer);
      TrainingSchedule schedule =
          TrainingSchedule.read(dir.resolve("scheduler/scheduler_config.json"));
      List<ToyExample> examples =
          ToyDataset.examples(ToySplit.HELD_OUT, 0, 64)
              .filter(
                  e ->
                      e.instruction().family() == ToyFamily.SHAPE
                          && e.frame().scene().shapes().size() > 1)
              .limit(EXAMPLES)
              .toList();
      Map<String, double[]> sums = new TreeMap<>();
      Random random = new Random(3);
      float scaling = p.vae().scalingFactor();
      for (ToyExample e : examples) {
        ToyInstruction.RecolourShape r = (ToyInstruction.RecolourShape) e.instruction();
        int[] ids = tokenizer.encode(e.instruction().text());
        int shapePos = position(ids, tokenizer, r.shape().name().toLowerCase(Locale.ROOT));
        int colourPos = position(ids, tokenizer, r.colour().name().toLowerCase(Locale.ROOT));
        NDArray source = ImageTensors.fromRgb(m, e.source().rgb(), 64, 64);
        NDArray target = ImageTensors.fromRgb(m, e.target().rgb(), 64, 64);
        NDArray image = p.vae().encodeMean(source);
        NDArray z0 = p.vae().encodeMean(target).mul(scaling);
        NDArray text = p.encodePrompts(m, List.of(e.instruction().text()));
        NDArray zSource = image.mul(scaling);
        for (int t : new int[] {200, 500, 800, 999}) {
          float a = schedule.alphaCumprod(t);
          // the noised source: what the sampler sees before the edit has appeared, unlike the
          // noised target (which already shows the named shape in its new colour)
          NDArray xt =
              zSource
                  .mul((float) Math.sqrt(a))
                  .add(noise(m, random, z0).mul((float) Math.sqrt(1 - a)));
          AttentionHook hook =
              (call, q, k, v) -> {
                if (call.selfAttention()) return null;
                float[] probs = probabilities(q, k, call.heads());
                int tokens = (int) k.getShape().get(1);
                int n = (int) q.getShape().get(1);
                int side = (int) Math.round(Math.sqrt(n));
                double[][] shares = shares(e, side);
                String key = String.format(Locale.ROOT, "t=%03d %s", t, call.module());
                double[] s = sums.computeIfAbsent(key, x -> new double[7]);
                accumulate(s, 0, probs, tokens, shapePos, shares);
                accumulate(s, 3, probs, tokens, colourPos, shares);
                s[6]++;
                return null;
              };
          p.unet()
              .forward(
                  NDArrays.concat(new NDList(xt, image), 1),
                  m.create((float) t),
                  text,
                  new AttentionContext(hook, 0, t, List.of(GuidanceBranch.TEXT_IMAGE), 1, 0));
        }
      }
      System.out.println(
          "layer: shape word lift named/kept/background | colour word lift named/kept/background");
      sums.forEach(
          (k, s) ->
              System.out.printf(
                  Locale.ROOT,
                  "%s: shape %.2f/%.2f/%.2f | colour %.2f/%.2f/%.2f%n",
                  k,
                  s[0] / s[6],
                  s[1] / s[6],
                  s[2] / s[6],
                  s[3] / s[6],
                  s[4] / s[6],
                  s[5] / s[6]));
    }
  }

  private static void textSimilarity(InstructPix2PixPipeline p, NDManager m, ClipTokenizer tok) {
    ShapeKind[] kinds = ShapeKind.values();
    for (String colour : new String[] {"red", "blue"}) {
      NDArray[] at = new NDArray[kinds.length];
      for (int i = 0; i < kinds.length; i++) {
        String word = kinds[i].name().toLowerCase(Locale.ROOT);
        String prompt = "make the " + word + " " + colour;
        int[] ids = tok.encode(prompt);
        NDArray ctx = p.encodePrompts(m, List.of(prompt));
        at[i] = ctx.get("0, " + position(ids, tok, word));
      }
      for (int i = 0; i < kinds.length; i++) {
        for (int j = i + 1; j < kinds.length; j++) {
          System.out.printf(
              Locale.ROOT,
              "text encoder at the shape word, \"make the %s/%s %s\": cosine %.3f%n",
              kinds[i],
              kinds[j],
              colour,
              cosine(at[i], at[j]));
        }
      }
    }
    NDArray circle = p.encodePrompts(m, List.of("make the circle red"));
    NDArray square = p.encodePrompts(m, List.of("make the square red"));
    int colourAt = position(tok.encode("make the circle red"), tok, "red");
    for (int pos = colourAt; pos < colourAt + 3; pos++) {
      System.out.printf(
          Locale.ROOT,
          "text encoder %d tokens after the shape word, \"make the circle/square red\": cosine %.3f%n",
          pos - colourAt + 1,
          cosine(circle.get("0, " + pos), square.get("0, " + pos)));
    }
    String[] colours = {"red", "blue", "green"};
    NDArray[] at = new NDArray[colours.length];
    for (int i = 0; i < colours.length; i++) {
      String prompt = "make the circle " + colours[i];
      at[i] =
          p.encodePrompts(m, List.of(prompt))
              .get("0, " + position(tok.encode(prompt), tok, colours[i]));
    }
    for (int i = 0; i < colours.length; i++) {
      for (int j = i + 1; j < colours.length; j++) {
        System.out.printf(
            Locale.ROOT,
            "text encoder at the colour word, \"make the circle %s/%s\": cosine %.3f%n",
            colours[i],
            colours[j],
            cosine(at[i], at[j]));
      }
    }
  }

  private static double cosine(NDArray a, NDArray b) {
    return a.dot(b).getFloat() / (a.norm().getFloat() * b.norm().getFloat());
  }

  private static int position(int[] ids, ClipTokenizer tok, String word) {
    int[] alone = tok.encode(word);
    for (int i = 0; i < ids.length; i++) if (ids[i] == alone[1]) return i;
    throw new IllegalStateException("no token " + word);
  }

  /** Mean over heads of softmax(q k^T / sqrt(d)), first sample: [n * tokens] row-major. */
  private static float[] probabilities(NDArray q, NDArray k, int heads) {
    return AttentionProbabilities.meanOverHeads(q.get("0:1"), k.get("0:1"), heads)
        .reshape(-1)
        .toFloatArray();
  }

  /** Per latent pixel at side x side: share of its block [named shape, kept shapes, background]. */
  private static double[][] shares(ToyExample e, int side) {
    int width = e.source().width();
    int f = width / side;
    double[][] out = new double[3][side * side];
    for (int y = 0; y < width; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        int kind = e.owners()[p] == ToyRenderer.BACKGROUND ? 2 : e.region()[p] ? 0 : 1;
        out[kind][(y / f) * side + x / f] += 1.0 / (f * f);
      }
    }
    return out;
  }

  private static void accumulate(
      double[] s, int at, float[] probs, int tokens, int pos, double[][] shares) {
    int n = shares[0].length;
    double mean = 0;
    for (int i = 0; i < n; i++) mean += probs[i * tokens + pos];
    mean /= n;
    for (int kind = 0; kind < 3; kind++) {
      double mass = 0, area = 0;
      for (int i = 0; i < n; i++) {
        mass += probs[i * tokens + pos] * shares[kind][i];
        area += shares[kind][i];
      }
      s[at + kind] += area > 0 ? mass / area / mean : 1;
    }
  }

  private static NDArray noise(NDManager m, Random random, NDArray like) {
    float[] v = new float[(int) like.size()];
    for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
    return m.create(v, like.getShape());
  }
}
