package dev.litefs.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors and warnings of one file as the loader's stages find them, so all are reported at once. */
final class Problems {
  private final String source;
  private final List<ConfigProblem> errors = new ArrayList<>();
  private final List<ConfigProblem> warnings = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  void error(int line, String message) {
    errors.add(new ConfigProblem(source, line, message));
  }

  void warning(int line, String message) {
    warnings.add(new ConfigProblem(source, line, message));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Returns the errors in file order; those without a line last. */
  List<ConfigProblem> errors() {
    return inFileOrder(errors);
  }

  List<ConfigProblem> warnings() {
    return inFileOrder(warnings);
  }

  private static List<ConfigProblem> inFileOrder(List<ConfigProblem> problems) {
    List<ConfigProblem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line()));
    return List.copyOf(sorted);
  }
}
