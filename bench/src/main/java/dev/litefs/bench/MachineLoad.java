package dev.litefs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the whole machine was between two readings of {@code /proc/stat}, this benchmark's processes and
 * everyone else's: on shared cores, results only mean something next to this.
 */
final class MachineLoad {
  private final long busy;
  private final long total;

  private MachineLoad(long busy, long total) {
    this.busy = busy;
    this.total = total;
  }

  /** The machine's CPU counters now (zero where {@code /proc/stat} cannot be read). */
  static MachineLoad now() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
    } catch (IOException | RuntimeException e) {
      return new MachineLoad(0, 0);
    }
  }

  /**
   * Parses the aggregate {@code cpu} line of {@code /proc/stat}: user nice system idle iowait irq softirq steal
   * (guest time is already in user). Busy is everything but idle and iowait.
   */
  static MachineLoad parse(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    if (!f[0].equals("cpu")) {
      throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + cpuLine);
    }
    long total = 0;
    long idle = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) {
        idle += v;
      }
    }
    return new MachineLoad(total - idle, total);
  }

  /** Cores kept busy on average since {@code before}, by every process on the machine. */
  double coresBusySince(MachineLoad before, int cores) {
    long t = total - before.total;
    return t <= 0 ? Double.NaN : (double) (busy - before.busy) / t * cores;
  }

  /** The load averages from {@code /proc/loadavg}, or "unknown". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** "cores busy X of N (all processes), load average a b c". */
  static String describe(MachineLoad before, MachineLoad after, int cores) {
    return String.format(Locale.ROOT, "%.2f of %d cores busy (all processes on the machine), load average %s",
        after.coresBusySince(before, cores), cores, loadAverage());
  }
}
