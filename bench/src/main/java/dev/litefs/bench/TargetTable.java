package dev.litefs.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The closing table of a benchmark: one line per measurement with upstream LiteFS's figure as measured here,
 * the target, the result, and whether the target is met.
 */
final class TargetTable {
  /** A bound on a measured value: at most or at least {@code limit}, in the unit the text names. */
  record Target(boolean atMost, double limit, String text) {
    /** A bound of at most {@code value}, written with {@code unit}. */
    static Target atMost(double value, String unit) {
      return new Target(true, value, "<= " + number(value) + " " + unit);
    }

    /** A bound of at least {@code value}, written with {@code unit}. */
    static Target atLeast(double value, String unit) {
      return new Target(false, value, ">= " + number(value) + " " + unit);
    }

    /** Whether {@code value} (in the target's unit) meets the bound; the limit itself meets it. */
    boolean met(double value) {
      return atMost ? value <= limit : value >= limit;
    }

    private static String number(double v) {
      return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
  }

  /** One line: {@code value} is in the target's unit, {@code result} is how it is shown. */
  record Row(String measurement, String liteFs, Target target, double value, String result) {
    boolean met() {
      return target.met(value);
    }
  }

  private final List<Row> rows = new ArrayList<>();

  void add(String measurement, String liteFs, Target target, double value, String result) {
    rows.add(new Row(measurement, liteFs, target, value, result));
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Prints the rows as aligned columns under a header line. */
  void print(PrintWriter out) {
    String[] header = {"measurement", "LiteFS (here)", "target", "result", "met"};
    int[] width = new int[header.length];
    List<String[]> lines = new ArrayList<>();
    lines.add(header);
    for (Row r : rows) {
      lines.add(new String[] {r.measurement(), r.liteFs(), r.target().text(), r.result(), r.met() ? "yes" : "NO"});
    }
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder b = new StringBuilder(" ");
      for (int i = 0; i < line.length; i++) {
        b.append(' ').append(String.format(Locale.ROOT, "%-" + width[i] + "s", line[i]));
        if (i < line.length - 1) {
          b.append(" ");
        }
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
