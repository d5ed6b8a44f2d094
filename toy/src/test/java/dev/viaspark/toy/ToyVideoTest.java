package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import org.junit.jupiter.api.Test;

class ToyVideoTest {
  @Test
  void consecutiveFramesDifferLittle() {
    double worst = 0, unrelated = Double.MAX_VALUE;
    for (long seed = 0; seed < 50; seed++) {
      ToyVideo video = ToyVideoSampler.sample(seed);
      VideoFrame previous = video.at(0).render();
      for (int t = 1; t < video.frames(); t++) {
        VideoFrame frame = video.at(t).render();
        worst = Math.max(worst, meanAbsDiff(previous, frame));
        previous = frame;
      }
      unrelated =
          Math.min(
              unrelated, meanAbsDiff(previous, ToyVideoSampler.sample(seed + 1000).at(0).render()));
    }
    System.out.printf(
        "mean |frame t - frame t-1|: at most %.1f; two unrelated frames: at least %.1f%n",
        worst, unrelated);
    assertTrue(worst < 8, "consecutive frames differ by up to " + worst);
    assertTrue(unrelated > 2 * worst, "unrelated frames differ by as little as " + unrelated);
  }

  @Test
  void shapesMoveAndBreatheSlowly() {
    for (long seed = 0; seed < 200; seed++) {
      ToyVideo video = ToyVideoSampler.sample(seed);
      for (int t = 1; t < 100; t++) {
        for (ShapeTrack track : video.tracks()) {
          ToyShape a = track.at(t - 1), b = track.at(t);
          assertTrue(
              Math.abs(a.x() - b.x()) <= 0.016 && Math.abs(a.y() - b.y()) <= 0.016,
              "moves <= 1 px a frame");
          assertTrue(
              Math.abs(a.size() - b.size()) <= 0.15 * 0.2 * 2 * Math.PI / 24, "breathes slowly");
        }
        assertTrue(
            Math.abs(video.lighting().at(t) - video.lighting().at(t - 1)) <= 0.02,
            "lighting drifts slowly");
      }
    }
  }

  @Test
  void bouncingKeepsEveryShapeInsideTheFrame() {
    for (long seed = 0; seed < 100; seed++) {
      for (ShapeTrack track : ToyVideoSampler.sample(seed).tracks()) {
        for (int t = 0; t < 1000; t++) {
          ToyShape s = track.at(t);
          assertTrue(
              s.x() - s.size() >= 0
                  && s.x() + s.size() <= 1
                  && s.y() - s.size() >= 0
                  && s.y() + s.size() <= 1,
              "seed " + seed + " frame " + t + ": " + s);
        }
      }
    }
  }

  @Test
  void aShapeBouncesBackOffTheEdge() {
    // half-extent 0.1 moving right at 0.01 a frame from 0.5: it reaches 0.9 at frame 40 and comes
    // back
    ShapeTrack track =
        new ShapeTrack(ShapeKind.SQUARE, ToyColor.RED, 0.5, 0.5, 0.01, 0, 0.1, 0, 1, 0);
    assertEquals(0.9, track.at(40).x(), 1e-9);
    assertEquals(0.8, track.at(50).x(), 1e-9);
    assertEquals(0.1, track.at(120).x(), 1e-9);
    assertEquals(0.5, track.at(50).y(), 1e-9);
  }

  static double meanAbsDiff(VideoFrame a, VideoFrame b) {
    long sum = 0;
    for (int i = 0; i < a.rgb().length; i++)
      sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
    return sum / (double) a.rgb().length;
  }
}
