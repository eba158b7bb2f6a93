package dev.litefs.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * A sample of durations in nanoseconds, sorted, with nearest-rank percentiles: the p-th percentile of n values
 * is the {@code ceil(p/100 * n)}-th smallest, so every reported value is one that was measured, p100 is the
 * maximum and, for an odd count, p50 is the median.
 */
final class Latencies {
  private final long[] sorted;

  /** Copies and sorts {@code nanos}; there must be at least one value. */
  Latencies(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no values measured");
    }
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  long min() {
    return sorted[0];
  }

  long max() {
    return sorted[sorted.length - 1];
  }

  long median() {
    return percentile(50);
  }

  /** The nearest-rank percentile {@code p}, for {@code 0 < p <= 100}. */
  long percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** {@code n, p50, p90, p99, max} in milliseconds, as the lag lines print them. */
  String summaryMillis() {
    return String.format(Locale.ROOT, "n %d  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms", count(),
        millis(median()), millis(percentile(90)), millis(percentile(99)), millis(max()));
  }

  /** {@code min / median / max}, each formatted by {@link #format(long)}. */
  String rangeSummary() {
    return format(min()) + " / " + format(median()) + " / " + format(max());
  }

  /** A duration as milliseconds with two decimals below 10 ms, whole milliseconds below 1 s, else seconds. */
  static String format(long nanos) {
    double ms = millis(nanos);
    if (Math.abs(ms) < 10) {
      return String.format(Locale.ROOT, "%.2f ms", ms);
    }
    if (Math.abs(ms) < 1000) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  static double millis(long nanos) {
    return nanos / 1e6;
  }
}
