package dev.viaspark.cli;

/** Numeric command-line values, with errors that name the flag. */
public final class Flags {
  private Flags() {}

  /**
   * A {@code WxH} flag (positive whole numbers) as {width, height}, or {@code fallback} when the
   * flag is absent.
   */
  public static int[] size(CommandLine cl, String command, String flag, String fallback) {
    String v = cl.get(flag) == null ? fallback : cl.get(flag);
    if (!v.matches("[1-9][0-9]{0,5}x[1-9][0-9]{0,5}")) {
      throw new UsageException(command + ": " + flag + " " + v + ": expected WxH, e.g. 320x240");
    }
    int x = v.indexOf('x');
    return new int[] {Integer.parseInt(v.substring(0, x)), Integer.parseInt(v.substring(x + 1))};
  }

  public static int positive(CommandLine cl, String flag, int fallback) {
    int n = integer(cl, flag, fallback);
    if (n <= 0)
      throw new UsageException(flag + " " + cl.get(flag) + ": expected a positive whole number");
    return n;
  }

  public static int nonNegative(CommandLine cl, String flag, int fallback) {
    int n = integer(cl, flag, fallback);
    if (n < 0)
      throw new UsageException(flag + " " + cl.get(flag) + ": expected a whole number >= 0");
    return n;
  }

  public static double positiveDouble(CommandLine cl, String flag) {
    String v = cl.get(flag);
    try {
      double d = Double.parseDouble(v);
      if (d > 0) return d;
    } catch (NumberFormatException | NullPointerException ignored) {
      // reported below
    }
    throw new UsageException(flag + " " + v + ": expected a positive number");
  }

  private static int integer(CommandLine cl, String flag, int fallback) {
    String v = cl.get(flag);
    if (v == null) return fallback;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " " + v + ": expected a whole number");
    }
  }
}
