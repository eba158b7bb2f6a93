package dev.litefs.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * Times a piece of work: untimed warm-up runs, then timed runs, with the CPU time the whole process spent
 * during them. Every result is XORed into a volatile field, so the JIT cannot prove the work useless and
 * drop it.
 */
final class Harness {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Where results go; read by nobody, written after every run. */
  private static volatile long sink;

  private Harness() {}

  /**
   * Makes {@code calls} short calls, {@code call.applyAsLong(i)} for each {@code i}, so that later timed
   * calls run the compiler's best code for the whole method instead of a loop compiled in the middle of
   * one long call (on-stack replacement).
   */
  static void warmUpCompiler(int calls, IntToLongFunction call) {
    for (int i = 0; i < calls; i++) {
      sink ^= call.applyAsLong(i);
    }
  }

  /** Runs {@code work} {@code warmups} times untimed, then {@code runs} times timed. */
  static Timings time(int warmups, int runs, LongSupplier work) {
    for (int i = 0; i < warmups; i++) {
      sink ^= work.getAsLong();
    }
    long[] nanos = new long[runs];
    long cpuBefore = OS.getProcessCpuTime();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      long result = work.getAsLong();
      nanos[i] = System.nanoTime() - start;
      sink ^= result;
    }
    return new Timings(nanos, OS.getProcessCpuTime() - cpuBefore);
  }

  /** Durations of the timed runs, in nanoseconds, and the process's CPU time during them. */
  static final class Timings {
    private final long[] sorted;
    private final long total;
    private final long cpuNanos;

    Timings(long[] nanos, long cpuNanos) {
      this.sorted = nanos.clone();
      Arrays.sort(sorted);
      this.total = Arrays.stream(nanos).sum();
      this.cpuNanos = cpuNanos;
    }

    long median() {
      return sorted[sorted.length / 2];
    }

    long min() {
      return sorted[0];
    }

    long max() {
      return sorted[sorted.length - 1];
    }

    /** Cores kept busy on average: the process's CPU time (JIT and GC threads included) over wall time. */
    double coresBusy() {
      return cpuNanos / (double) total;
    }

    /** Throughput of the median run over {@code bytes}, in GB/s (10^9 bytes per second). */
    double gbPerSecond(long bytes) {
      return bytes / (double) median();
    }
  }
}
