package dev.viaspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static CommandLine cl(String... args) {
    return CommandLine.parse(
        "generate", List.of(args), Set.of("--size", "--fps", "--gop", "--seconds"), Set.of(), 0);
  }

  @Test
  void sizesAreWidthByHeight() {
    assertArrayEquals(new int[] {320, 240}, Flags.size(cl(), "generate", "--size", "320x240"));
    assertArrayEquals(
        new int[] {64, 48}, Flags.size(cl("--size", "64x48"), "generate", "--size", "1x1"));
    for (String bad : List.of("0x10", "10x", "10x0", "ax2", "10*10", "-4x4")) {
      UsageException e =
          assertThrows(
              UsageException.class,
              () -> Flags.size(cl("--size", bad), "generate", "--size", "1x1"));
      assertEquals("generate: --size " + bad + ": expected WxH, e.g. 320x240", e.getMessage());
    }
  }

  @Test
  void wholeNumbersNameTheFlagWhenWrong() {
    assertEquals(25, Flags.positive(cl(), "--fps", 25));
    assertEquals(30, Flags.positive(cl("--fps", "30"), "--fps", 25));
    assertEquals(0, Flags.nonNegative(cl("--gop", "0"), "--gop", 50));
    assertEquals(
        "--fps 0: expected a positive whole number",
        assertThrows(UsageException.class, () -> Flags.positive(cl("--fps", "0"), "--fps", 25))
            .getMessage());
    assertEquals(
        "--gop -1: expected a whole number >= 0",
        assertThrows(UsageException.class, () -> Flags.nonNegative(cl("--gop", "-1"), "--gop", 5))
            .getMessage());
    assertEquals(
        "--fps 2.5: expected a whole number",
        assertThrows(UsageException.class, () -> Flags.positive(cl("--fps", "2.5"), "--fps", 25))
            .getMessage());
  }

  @Test
  void positiveNumbers() {
    assertEquals(2.5, Flags.positiveDouble(cl("--seconds", "2.5"), "--seconds"));
    for (String bad : List.of("0", "-1", "NaN", "ten")) {
      assertEquals(
          "--seconds " + bad + ": expected a positive number",
          assertThrows(
                  UsageException.class,
                  () -> Flags.positiveDouble(cl("--seconds", bad), "--seconds"))
              .getMessage());
    }
  }
}
