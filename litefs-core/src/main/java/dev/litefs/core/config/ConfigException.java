package dev.litefs.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file that cannot be used: every problem found in it, one per line of the message. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<ConfigProblem> problems;

  /** Creates the exception for {@code problems}, which must not be empty. */
  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Returns the problems, in the order they were found. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
