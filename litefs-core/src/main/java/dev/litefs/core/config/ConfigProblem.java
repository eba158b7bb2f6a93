package dev.litefs.core.config;

import java.util.Objects;

/**
 * One thing wrong with (or worth a warning in) a configuration file, located by file and line.
 *
 * @param source the file as it was named (the {@code -config} argument or the search path that matched)
 * @param line the 1-based line in the file as written, before environment expansion; 0 when no line applies
 *     (an empty file, or a required key absent from a file without its section)
 * @param message what is wrong, naming the key by its full path ({@code lease.consul.url})
 */
public record ConfigProblem(String source, int line, String message) {
  public ConfigProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  /** Returns {@code source:line: message}, the form compilers use, or {@code source: message} without a line. */
  @Override
  public String toString() {
    return line > 0 ? source + ":" + line + ": " + message : source + ": " + message;
  }
}
