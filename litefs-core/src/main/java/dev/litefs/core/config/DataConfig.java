package dev.litefs.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code data} section: where the node keeps its databases and transaction (LTX) files.
 *
 * @param dir the data directory ({@code data.dir}); required, and not the mount directory
 * @param compress LZ4-compress LTX files ({@code data.compress})
 * @param retention how long LTX files are kept for replicas that fall behind ({@code data.retention})
 * @param retentionMonitorInterval how often expired LTX files are removed
 *     ({@code data.retention-monitor-interval})
 */
public record DataConfig(String dir, boolean compress, Duration retention, Duration retentionMonitorInterval) {
  /** LiteFS's defaults: {@code /var/lib/litefs}, compressed, 10m retention checked every minute. */
  public static final DataConfig DEFAULT =
      new DataConfig("/var/lib/litefs", true, Duration.ofMinutes(10), Duration.ofMinutes(1));

  public DataConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(retentionMonitorInterval, "retentionMonitorInterval");
  }
}
