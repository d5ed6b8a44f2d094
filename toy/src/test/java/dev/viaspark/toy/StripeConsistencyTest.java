package dev.viaspark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.viaspark.video.VideoFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class StripeConsistencyTest {
  private static final ToyExample STRIPES =
      ToyDataset.examples(ToySplit.HELD_OUT, 0, ToyFrame.SIZE)
          .filter(ex -> ex.instruction() instanceof ToyInstruction.StripeBackground)
          .findFirst()
          .orElseThrow();

  /** The target's bands and gaps exchanged: the same bands shifted by half a period. */
  private static VideoFrame shiftedByHalfAPeriod(ToyExample ex) {
    byte[] source = ex.source().rgb(), target = ex.target().rgb(), out = source.clone();
    byte[] band = null;
    for (int p = 0; p < ex.region().length && band == null; p++) {
      if (ex.region()[p] && differs(source, target, p))
        band = new byte[] {target[3 * p], target[3 * p + 1], target[3 * p + 2]};
    }
    for (int p = 0; p < ex.region().length; p++) {
      if (ex.region()[p] && !differs(source, target, p)) System.arraycopy(band, 0, out, 3 * p, 3);
    }
    return ex.source().withPixels(out);
  }

  private static boolean differs(byte[] a, byte[] b, int p) {
    return a[3 * p] != b[3 * p] || a[3 * p + 1] != b[3 * p + 1] || a[3 * p + 2] != b[3 * p + 2];
  }

  @Test
  void bandsThatStayPutChangeNothingAndShiftedBandsSwitchTheBackground() {
    StripeConsistency still = new StripeConsistency();
    still.add(
        List.of(STRIPES, STRIPES, STRIPES),
        List.of(STRIPES.target(), STRIPES.target(), STRIPES.target()));
    assertEquals(2, still.pairs());
    assertEquals(0, still.meanColourChange(), 1e-9);
    assertEquals(0, still.meanSwitchedShare(), 1e-9);

    StripeConsistency shifting = new StripeConsistency();
    shifting.add(
        List.of(STRIPES, STRIPES), List.of(STRIPES.target(), shiftedByHalfAPeriod(STRIPES)));
    assertTrue(shifting.meanSwitchedShare() > 0.9, "switched " + shifting.meanSwitchedShare());
    assertTrue(shifting.meanColourChange() < 10, "colour " + shifting.meanColourChange());
  }

  @Test
  void refusesAnInstructionWithoutStripes() {
    ToyExample recolour =
        ToyDataset.examples(ToySplit.HELD_OUT, 0, ToyFrame.SIZE)
            .filter(ex -> !(ex.instruction() instanceof ToyInstruction.StripeBackground))
            .findFirst()
            .orElseThrow();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StripeConsistency().add(List.of(recolour), List.of(recolour.target())));
    assertTrue(e.getMessage().endsWith("paints no stripes"), e.getMessage());
  }
}
