package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToySceneTest {
  private static final ToyBackground PLAIN = new ToyBackground.Plain(new Rgb(100, 200, 60));

  @Test
  void theSameSeedGivesTheSamePixels() {
    for (long seed = 0; seed < 20; seed++) {
      VideoFrame a = ToyVideoSampler.sample(seed).at(5).render();
      VideoFrame b = ToyVideoSampler.sample(seed).at(5).render();
      assertArrayEquals(a.rgb(), b.rgb());
      assertEquals(ToyVideoSampler.sample(seed), ToyVideoSampler.sample(seed));
    }
  }

  @Test
  void differentSeedsGiveDifferentFrames() {
    Set<ByteBuffer> frames = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      frames.add(ByteBuffer.wrap(ToyVideoSampler.sample(seed).at(0).render().rgb()));
    }
    assertEquals(200, frames.size());
  }

  @Test
  void sampledScenesStayInTheirRanges() {
    Set<ShapeKind> kinds = EnumSet.noneOf(ShapeKind.class);
    Set<ToyColor> colours = EnumSet.noneOf(ToyColor.class);
    Set<Class<?>> backgrounds = new HashSet<>();
    int[] counts = new int[4];
    for (long seed = 0; seed < 500; seed++) {
      ToyVideo video = ToyVideoSampler.sample(seed);
      List<ShapeTrack> tracks = video.tracks();
      counts[tracks.size()]++;
      assertEquals(
          tracks.size(),
          tracks.stream().map(ShapeTrack::kind).distinct().count(),
          "distinct kinds");
      for (ShapeTrack t : tracks) {
        kinds.add(t.kind());
        colours.add(t.colour());
      }
      backgrounds.add(video.background().getClass());
      for (Rgb c : colours(video.background())) {
        for (ToyColor p : ToyColor.values())
          assertTrue(c.distance(p.rgb()) >= 90, c + " is close to " + p);
      }
      for (int t = 0; t < video.frames(); t++) {
        double l = video.lighting().at(t);
        assertTrue(l >= 0.85 && l <= 1.15, "lighting " + l);
      }
    }
    assertEquals(0, counts[0]);
    assertTrue(counts[1] > 100 && counts[2] > 100 && counts[3] > 100, Arrays.toString(counts));
    assertEquals(EnumSet.allOf(ShapeKind.class), kinds);
    assertEquals(Set.copyOf(ToyColor.shapeColours()), colours);
    assertEquals(3, backgrounds.size());
  }

  @Test
  void lightingMultipliesEveryPixelAndClamps() {
    ToyScene scene =
        new ToyScene(PLAIN, List.of(new ToyShape(ShapeKind.SQUARE, ToyColor.WHITE, 0.5, 0.5, 0.2)));
    assertPixel(scene, 1.15, 0, 0, 115, 230, 69);
    assertPixel(scene, 1.15, 32, 32, 255, 255, 255);
    assertPixel(scene, 0.85, 0, 0, 85, 170, 51);
    assertPixel(scene, 0.85, 32, 32, 217, 217, 217);
  }

  @Test
  void aShapeBehindAnotherOwnsOnlyItsVisiblePixels() {
    ToyShape back = new ToyShape(ShapeKind.SQUARE, ToyColor.RED, 0.4, 0.5, 0.2);
    ToyShape front = new ToyShape(ShapeKind.CIRCLE, ToyColor.BLUE, 0.6, 0.5, 0.15);
    ToyScene scene = new ToyScene(PLAIN, List.of(back, front));
    int[] owners = ToyRenderer.owners(scene, 64, 64);
    int squareOnly = 0, overlap = 0, circle = 0;
    for (int p = 0; p < owners.length; p++) {
      double u = (p % 64 + 0.5) / 64, v = (p / 64 + 0.5) / 64;
      boolean inSquare = back.covers(u, v), inCircle = front.covers(u, v);
      if (inCircle) circle++;
      if (inSquare && inCircle) overlap++;
      if (inSquare && !inCircle) squareOnly++;
      assertEquals(inCircle ? 1 : inSquare ? 0 : ToyRenderer.BACKGROUND, owners[p]);
    }
    assertTrue(overlap > 50, "the test needs a real overlap: " + overlap);
    assertEquals(
        squareOnly,
        count(
            ToyEdit.editRegion(
                scene,
                new ToyInstruction.RecolourShape(ShapeKind.SQUARE, ToyColor.GREEN),
                64,
                64)));
    assertEquals(
        circle,
        count(
            ToyEdit.editRegion(
                scene,
                new ToyInstruction.RecolourShape(ShapeKind.CIRCLE, ToyColor.GREEN),
                64,
                64)));
  }

  @Test
  void shapesHaveTheirGeometry() {
    // centre 0.5, half-extent 0.25: the square fills 0.25..0.75, the circle misses its corners, the
    // triangle's
    // apex is at the top and its base at the bottom
    assertTrue(new ToyShape(ShapeKind.SQUARE, ToyColor.RED, 0.5, 0.5, 0.25).covers(0.74, 0.26));
    assertTrue(!new ToyShape(ShapeKind.CIRCLE, ToyColor.RED, 0.5, 0.5, 0.25).covers(0.74, 0.26));
    ToyShape triangle = new ToyShape(ShapeKind.TRIANGLE, ToyColor.RED, 0.5, 0.5, 0.25);
    assertTrue(triangle.covers(0.5, 0.26) && !triangle.covers(0.4, 0.3));
    assertTrue(
        triangle.covers(0.26, 0.74) && triangle.covers(0.74, 0.74) && !triangle.covers(0.5, 0.76));
  }

  @Test
  void theSizeIsConfigurable() {
    ToyFrame frame = ToyVideoSampler.sample(3).at(0);
    VideoFrame f = frame.render(96, 48);
    assertEquals(96, f.width());
    assertEquals(48, f.height());
    assertEquals(64 * 64 * 3, frame.render().rgb().length);
  }

  private static void assertPixel(
      ToyScene scene, double lighting, int x, int y, int r, int g, int b) {
    byte[] rgb = ToyRenderer.render(scene, lighting, 0, 64, 64).rgb();
    int p = (y * 64 + x) * 3;
    assertArrayEquals(
        new int[] {r, g, b}, new int[] {rgb[p] & 0xff, rgb[p + 1] & 0xff, rgb[p + 2] & 0xff});
  }

  private static List<Rgb> colours(ToyBackground b) {
    if (b instanceof ToyBackground.Plain p) return List.of(p.colour());
    if (b instanceof ToyBackground.Gradient g) return List.of(g.from(), g.to());
    return List.of(((ToyBackground.Texture) b).base());
  }

  static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) if (b) n++;
    return n;
  }
}
