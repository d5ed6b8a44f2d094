package dev.viaspark.train;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.viaspark.diffusion.attention.AttentionContext;
import dev.viaspark.diffusion.pipeline.ImageTensors;
import dev.viaspark.diffusion.pipeline.InstructPix2PixPipeline;
import dev.viaspark.diffusion.schedulers.TrainingSchedule;
import dev.viaspark.toy.ToyDataset;
import dev.viaspark.toy.ToyExample;
import dev.viaspark.toy.ToySplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test: where a trained toy model's edits go wrong. Skipped unless {@code
 * -Dviaspark.probe.model=DIR} names a model; prints, for the first 16 held-out examples (image
 * distances as the mean absolute difference in [-1, 1] over the frame):
 *
 * <ul>
 *   <li>the latents' per-channel mean and spread, scaled as the UNet sees them;
 *   <li>at timesteps 100 to 999, the x0 the UNet predicts from the noised target, with and without
 *       the instruction, against the target and the source;
 *   <li>a plain 20-step DDIM sample (no guidance) started from pure noise, from noise holding the
 *       source's signal at the first timestep, and from noise holding the target's.
 * </ul>
 *
 * <p>Run: {@code mvn -B -o install -DskipTests && mvn -B -o test -pl toy -Dtest=DenoisingProbe
 * -Dviaspark.probe.model=DIR}.
 */
class DenoisingProbe {
  private static final int EXAMPLES = 16;
  private static final int SAMPLING_STEPS = 20;

  @Test
  void probe() {
    String model = System.getProperty("viaspark.probe.model");
    assumeTrue(model != null, "no -Dviaspark.probe.model");
    Path dir = Path.of(model);
    try (InstructPix2PixPipeline p =
            InstructPix2PixPipeline.load(dir, Device.cpu(), DataType.FLOAT32, 0);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      TrainingSchedule schedule =
          TrainingSchedule.read(dir.resolve("scheduler/scheduler_config.json"));
      List<ToyExample> examples =
          ToyDataset.examples(ToySplit.HELD_OUT, 0, 64).limit(EXAMPLES).toList();
      NDList sources = new NDList();
      NDList targets = new NDList();
      List<String> prompts = new ArrayList<>();
      for (ToyExample e : examples) {
        sources.add(ImageTensors.fromRgb(m, e.source().rgb(), 64, 64));
        targets.add(ImageTensors.fromRgb(m, e.target().rgb(), 64, 64));
        prompts.add(e.instruction().text());
      }
      NDArray source = NDArrays.concat(sources, 0);
      NDArray target = NDArrays.concat(targets, 0);
      float scaling = p.vae().scalingFactor();
      NDArray image = p.vae().encodeMean(source);
      NDArray z0 = p.vae().encodeMean(target).mul(scaling);
      NDArray text = p.encodePrompts(m, prompts);
      NDArray empty = p.encodePrompts(m, Collections.nCopies(EXAMPLES, ""));
      for (int c = 0; c < z0.getShape().get(1); c++) {
        NDArray channel = z0.get(":, " + c);
        float mean = channel.mean().getFloat();
        float std = (float) Math.sqrt(channel.sub(mean).square().mean().getFloat());
        System.out.printf("latent channel %d: mean %.3f, std %.3f%n", c, mean, std);
      }
      System.out.printf(
          "source against target %.4f; VAE round trip of the target %.4f%n",
          distance(source, target), distance(p.decode(z0), target));
      Random random = new Random(5);
      for (int t : new int[] {100, 300, 500, 700, 900, 999}) {
        float a = schedule.alphaCumprod(t);
        NDArray xt =
            z0.mul((float) Math.sqrt(a)).add(noise(m, random, z0).mul((float) Math.sqrt(1 - a)));
        for (boolean withText : new boolean[] {true, false}) {
          NDArray eps = unet(p, m, xt, image, t, withText ? text : empty);
          NDArray x0 = xt.sub(eps.mul((float) Math.sqrt(1 - a))).div((float) Math.sqrt(a));
          NDArray decoded = p.decode(x0);
          System.out.printf(
              "t=%d %s: predicted x0 against target %.4f, against source %.4f%n",
              t,
              withText ? "instruction" : "no instruction",
              distance(decoded, target),
              distance(decoded, source));
        }
      }
      // leading spacing with steps_offset 1, as the toy's scheduler config: 951, 901, ..., 1
      int stride = schedule.trainSteps() / SAMPLING_STEPS;
      int first = stride * (SAMPLING_STEPS - 1) + 1;
      float aFirst = schedule.alphaCumprod(first);
      String[] starts = {"pure noise", "noise with the source's signal", "noise with the target's"};
      NDArray[] signals = {null, image.mul(scaling), z0};
      for (int s = 0; s < starts.length; s++) {
        NDArray x = noise(m, random, z0);
        if (signals[s] != null) {
          x = x.mul((float) Math.sqrt(1 - aFirst)).add(signals[s].mul((float) Math.sqrt(aFirst)));
        }
        for (int i = 0; i < SAMPLING_STEPS; i++) {
          int t = first - i * stride;
          int next = t - stride;
          float a = schedule.alphaCumprod(t);
          float aNext = schedule.alphaCumprod(Math.max(next, 0));
          NDArray eps = unet(p, m, x, image, t, text);
          NDArray x0 = x.sub(eps.mul((float) Math.sqrt(1 - a))).div((float) Math.sqrt(a));
          x = x0.mul((float) Math.sqrt(aNext)).add(eps.mul((float) Math.sqrt(1 - aNext)));
        }
        NDArray decoded = p.decode(x);
        System.out.printf(
            "DDIM from %s: against target %.4f, against source %.4f%n",
            starts[s], distance(decoded, target), distance(decoded, source));
      }
    }
  }

  private static NDArray unet(
      InstructPix2PixPipeline p, NDManager m, NDArray x, NDArray image, int t, NDArray context) {
    return p.unet()
        .forward(
            NDArrays.concat(new NDList(x, image), 1),
            m.create((float) t),
            context,
            AttentionContext.none(0));
  }

  private static NDArray noise(NDManager m, Random random, NDArray like) {
    float[] v = new float[(int) like.size()];
    for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
    return m.create(v, like.getShape());
  }

  private static float distance(NDArray a, NDArray b) {
    return a.sub(b).abs().mean().getFloat();
  }
}
