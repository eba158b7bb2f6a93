package dev.litefs.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The engine's log, in the application's log. The engine runs on the application's class path, so it logs
 * through whichever SLF4J backend the application has; without a config of its own, Logback would log at debug
 * and Log4j 2 only errors. So the engine is given one line format, {@code LEVEL logger - message}, in a config
 * for each backend (each ignores the other's system property), and {@link #relay} re-logs each line at its level
 * on the {@code litefs.engine} logger with a {@code [litefs]} prefix.
 */
final class EngineLogging {
  /** The logger the engine's lines are re-logged on. */
  static final String LOGGER = "litefs.engine";

  private static final String PATTERN = "%level %logger{0} - %msg%n";

  private EngineLogging() {}

  /** Writes the backends' configs into {@code dir} and returns the system properties that select them. */
  static List<String> options(Path dir, boolean debug) {
    String level = debug ? "DEBUG" : "INFO";
    Path logback = dir.resolve("engine-logback.xml");
    Path log4j2 = dir.resolve("engine-log4j2.xml");
    try {
      Files.writeString(logback, "<configuration>\n"
          + "  <appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
          + "    <encoder><pattern>" + PATTERN + "</pattern></encoder>\n"
          + "  </appender>\n"
          + "  <root level=\"" + level + "\"><appender-ref ref=\"out\"/></root>\n"
          + "</configuration>\n", StandardCharsets.UTF_8);
      Files.writeString(log4j2, "<Configuration status=\"warn\">\n"
          + "  <Appenders><Console name=\"out\" target=\"SYSTEM_OUT\">"
          + "<PatternLayout pattern=\"%level %c{1} - %msg%n\"/></Console></Appenders>\n"
          + "  <Loggers><Root level=\"" + level + "\"><AppenderRef ref=\"out\"/></Root></Loggers>\n"
          + "</Configuration>\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the engine's logging config in " + dir, e);
    }
    return List.of("-Dlogback.configurationFile=" + logback, "-Dlog4j2.configurationFile=" + log4j2,
        // slf4j-simple, which the litefs CLI jar uses, in the same format.
        "-Dorg.slf4j.simpleLogger.showDateTime=false", "-Dorg.slf4j.simpleLogger.showThreadName=false",
        "-Dorg.slf4j.simpleLogger.levelInBrackets=false", "-Dorg.slf4j.simpleLogger.showShortLogName=true");
  }

  /**
   * Re-logs one line of the engine's output at its level. A line without a level (a stack trace, the JVM's own
   * errors) keeps the level of the line before it, {@code previous}; returns the level used.
   */
  static Level relay(Logger log, String line, @Nullable Level previous) {
    Level level = previous == null ? Level.INFO : previous;
    String text = line;
    int space = line.indexOf(' ');
    if (space > 0) {
      Level parsed = parse(line.substring(0, space));
      if (parsed != null) {
        level = parsed;
        text = line.substring(space + 1);
      }
    }
    log.atLevel(level).log("[litefs] {}", text);
    return level;
  }

  private static @Nullable Level parse(String word) {
    return switch (word.toUpperCase(Locale.ROOT)) {
      case "TRACE" -> Level.TRACE;
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARN;
      case "ERROR", "FATAL" -> Level.ERROR;
      default -> null;
    };
  }
}
