package dev.litefs.core.config;

import java.time.Duration;
import java.util.Map;

/**
 * Durations written as Go writes them ({@code time.ParseDuration}), since {@code litefs.yml} files are written
 * for LiteFS: a sequence of decimal numbers, each with an optional fraction and a unit, such as {@code 10s},
 * {@code 1m30s}, {@code 500ms}, {@code 1.5h} or {@code -2s}. Units: {@code ns}, {@code us} (or {@code µs}),
 * {@code ms}, {@code s}, {@code m}, {@code h}. A bare {@code 0} is the only number allowed without a unit.
 */
final class GoDuration {
  private static final Map<String, Long> UNITS = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "\u00b5s", 1_000L, // MICRO SIGN
      "\u03bcs", 1_000L, // GREEK SMALL LETTER MU
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Parses {@code text} as Go's {@code time.ParseDuration} does.
   *
   * @throws IllegalArgumentException saying briefly what is wrong ("missing unit"), for a message that quotes
   *     the text
   */
  static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid();
    }
    try {
      long nanos = 0;
      int i = 0;
      while (i < s.length()) {
        if (!(s.charAt(i) == '.' || isDigit(s.charAt(i)))) {
          throw invalid();
        }
        int start = i;
        long whole = 0;
        for (; i < s.length() && isDigit(s.charAt(i)); i++) {
          whole = Math.addExact(Math.multiplyExact(whole, 10), s.charAt(i) - '0');
        }
        boolean hasWhole = i > start;
        long fraction = 0;
        double scale = 1;
        boolean hasFraction = false;
        if (i < s.length() && s.charAt(i) == '.') {
          int fractionStart = ++i;
          for (; i < s.length() && isDigit(s.charAt(i)); i++) {
            // Like Go, digits beyond what a long holds are consumed and ignored.
            if (fraction <= (Long.MAX_VALUE - 9) / 10) {
              fraction = fraction * 10 + (s.charAt(i) - '0');
              scale *= 10;
            }
          }
          hasFraction = i > fractionStart;
        }
        if (!hasWhole && !hasFraction) {
          throw invalid();
        }
        int unitStart = i;
        while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
          i++;
        }
        if (i == unitStart) {
          throw new IllegalArgumentException("missing unit");
        }
        String unitName = s.substring(unitStart, i);
        Long unit = UNITS.get(unitName);
        if (unit == null) {
          throw new IllegalArgumentException("unknown unit \"" + unitName + "\"");
        }
        long value = Math.multiplyExact(whole, unit);
        if (fraction > 0) {
          value = Math.addExact(value, (long) (fraction * (unit / scale)));
        }
        nanos = Math.addExact(nanos, value);
      }
      return Duration.ofNanos(negative ? -nanos : nanos);
    } catch (ArithmeticException e) {
      // Go allows one more nanosecond when negative (-2^63ns); nobody writes that, so it is rejected here.
      throw new IllegalArgumentException("out of range");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid() {
    return new IllegalArgumentException("not a duration");
  }
}
