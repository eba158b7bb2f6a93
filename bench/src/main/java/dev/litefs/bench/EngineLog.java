package dev.litefs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads an engine's log ({@code 2026-01-01T00:00:00.000Z INFO Class - message} lines) for the moments the engine
 * passed a step, so a benchmark can say where the time between two of its own measurements went. The log's clock
 * is the bench's wall clock (same machine); its resolution is a millisecond.
 */
final class EngineLog {
  private EngineLog() {}

  /** The time of a log line in epoch milliseconds, if it starts with an ISO instant. */
  static OptionalLong time(String line) {
    int space = line.indexOf(' ');
    if (space < 20) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Instant.parse(line.substring(0, space)).toEpochMilli());
    } catch (DateTimeParseException e) {
      return OptionalLong.empty();
    }
  }

  /** The time of the first line of {@code lines} at or after {@code fromMillis} that contains {@code text}. */
  static OptionalLong first(List<String> lines, String text, long fromMillis) {
    for (String line : lines) {
      if (line.contains(text)) {
        OptionalLong t = time(line);
        if (t.isPresent() && t.getAsLong() >= fromMillis) {
          return t;
        }
      }
    }
    return OptionalLong.empty();
  }

  /** {@link #first(List, String, long)} over the log file {@code log} (empty when it cannot be read). */
  static OptionalLong first(Path log, String text, long fromMillis) {
    try {
      return first(Files.readAllLines(log), text, fromMillis);
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
