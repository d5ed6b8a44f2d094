package dev.viaspark.job;

/** Numeric command-line values, with errors that name the flag. */
final class Flags {
  private Flags() {}

  static int positive(CommandLine cl, String flag, int fallback) {
    int n = integer(cl, flag, fallback);
    if (n <= 0) throw new UsageException(flag + " " + cl.get(flag) + ": expected a positive whole number");
    return n;
  }

  static int nonNegative(CommandLine cl, String flag, int fallback) {
    int n = integer(cl, flag, fallback);
    if (n < 0) throw new UsageException(flag + " " + cl.get(flag) + ": expected a whole number >= 0");
    return n;
  }

  static double positiveDouble(CommandLine cl, String flag) {
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
