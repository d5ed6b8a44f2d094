package dev.viaspark.via;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The regions the anchors kept travel in the bank and follow the source's motion to each frame. */
class AnchorRegionsTest {
  @TempDir Path dir;

  private AnchorRegions regions(int... anchors) throws Exception {
    List<VideoFrame> sources = new ArrayList<>();
    List<byte[]> masks = new ArrayList<>();
    for (int a : anchors) {
      sources.add(MovingSquare.source(a));
      masks.add(MovingSquare.mask(a));
    }
    AnchorRegions.write(dir, sources, masks);
    return AnchorRegions.readIfAny(dir);
  }

  @Test
  void eachFrameIsGivenTheRegionOfItsAnchorWhereTheSquareHasMoved() throws Exception {
    AnchorRegions.Carrier carrier = regions(0, 8).carrier(MovingSquare::source);
    for (int t = 0; t < MovingSquare.FRAMES; t++) {
      byte[] region = carrier.carry(MovingSquare.source(t));
      int inside = 0, outside = 0;
      for (int y = 0; y < MovingSquare.SIZE; y++) {
        for (int x = 0; x < MovingSquare.SIZE; x++) {
          boolean covered = (region[y * MovingSquare.SIZE + x] & 0xff) >= 128;
          if (MovingSquare.inSquare(t, x, y)) inside += covered ? 1 : 0;
          else outside += covered ? 1 : 0;
        }
      }
      // where the square was at frame 0 (12 pixels left by frame 6) must not be covered
      assertTrue(inside >= 90 && outside <= 10, "frame " + t + ": " + inside + " in, " + outside);
    }
    assertArrayEquals(MovingSquare.mask(8), carrier.carry(MovingSquare.source(8)));
  }

  @Test
  void aFrameIsGivenTheSameRegionWhereverItsSessionStarts() throws Exception {
    AnchorRegions regions = regions(0, 7);
    AnchorRegions.Carrier inOrder = regions.carrier(MovingSquare::source);
    List<byte[]> all = new ArrayList<>();
    for (int t = 0; t < MovingSquare.FRAMES; t++) all.add(inOrder.carry(MovingSquare.source(t)));
    for (int start : new int[] {3, 9}) {
      AnchorRegions.Carrier fresh = regions.carrier(MovingSquare::source);
      for (int t = start; t < MovingSquare.FRAMES; t++) {
        assertArrayEquals(
            all.get(t), fresh.carry(MovingSquare.source(t)), "frame " + t + " from " + start);
      }
    }
  }

  @Test
  void framesBeforeTheFirstAnchorFollowNothingAndABankWithoutRegionsHasNone() throws Exception {
    AnchorRegions regions = regions(5);
    byte[] before = regions.carrier(MovingSquare::source).carry(MovingSquare.source(2));
    assertArrayEquals(new byte[MovingSquare.SIZE * MovingSquare.SIZE], before);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertNull(AnchorRegions.readIfAny(empty));
  }

  @Test
  void anUnreadableRegionNamesTheBankFolder() throws Exception {
    regions(0);
    Files.delete(dir.resolve("region-source-000000.png"));
    CorruptBankException e =
        assertThrows(CorruptBankException.class, () -> AnchorRegions.readIfAny(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }
}
