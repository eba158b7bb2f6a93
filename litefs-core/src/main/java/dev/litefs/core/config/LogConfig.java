package dev.litefs.core.config;

import java.util.Objects;

/**
 * The {@code log} section.
 *
 * @param format {@code text} or {@code json} ({@code log.format})
 * @param timestamp include a timestamp in each line ({@code log.timestamp})
 * @param debug log at debug level ({@code log.debug}, or the {@code -debug} flag)
 */
public record LogConfig(String format, boolean timestamp, boolean debug) {
  /** LiteFS's defaults: text, no timestamps, no debug logging. */
  public static final LogConfig DEFAULT = new LogConfig("text", false, false);

  public LogConfig {
    Objects.requireNonNull(format, "format");
  }

  /** Returns this section with {@code debug} set, as the {@code -debug} flag does. */
  public LogConfig withDebug(boolean debug) {
    return new LogConfig(format, timestamp, debug);
  }
}
