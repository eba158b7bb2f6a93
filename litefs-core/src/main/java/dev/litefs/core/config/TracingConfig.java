package dev.litefs.core.config;

import java.util.Objects;

/**
 * The {@code tracing} section: LiteFS's rolling on-disk trace log. Accepted so that LiteFS configs load, but
 * not implemented in litefs-java (see {@link NotYetImplemented}).
 *
 * @param enabled write the trace log when {@code path} is set ({@code tracing.enabled})
 * @param path the log file ({@code tracing.path}); empty disables the log
 * @param maxSize megabytes before the log rolls ({@code tracing.max-size})
 * @param maxCount rolled logs kept ({@code tracing.max-count})
 * @param compress gzip rolled logs ({@code tracing.compress})
 */
public record TracingConfig(boolean enabled, String path, int maxSize, int maxCount, boolean compress) {
  /** LiteFS's defaults: enabled but without a path (so off), 64 MB, 8 files, compressed. */
  public static final TracingConfig DEFAULT = new TracingConfig(true, "", 64, 8, true);

  public TracingConfig {
    Objects.requireNonNull(path, "path");
  }
}
