package dev.litefs.core.store;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link Store} behaves.
 *
 * @param dataDir the data directory ({@code data.dir})
 * @param compress whether new LTX files are LZ4-compressed ({@code data.compress}, default true)
 * @param retention how long LTX files are kept ({@code data.retention}, default 10m)
 * @param retentionMonitorInterval how often retention runs ({@code data.retention-monitor-interval}, 1m)
 * @param nodeId this process's node ID, written into the LTX files it creates
 * @param clock the time source for LTX timestamps and retention
 */
public record StoreOptions(Path dataDir, boolean compress, Duration retention, Duration retentionMonitorInterval,
    long nodeId, Clock clock) {
  /** LiteFS's default retention. */
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(10);
  /** LiteFS's default retention monitor interval. */
  public static final Duration DEFAULT_RETENTION_MONITOR_INTERVAL = Duration.ofMinutes(1);

  /** Options with LiteFS's defaults and a random node ID. */
  public static StoreOptions defaults(Path dataDir) {
    return new StoreOptions(dataDir, true, DEFAULT_RETENTION, DEFAULT_RETENTION_MONITOR_INTERVAL,
        new SecureRandom().nextLong(), Clock.systemUTC());
  }

  public StoreOptions withCompress(boolean v) {
    return new StoreOptions(dataDir, v, retention, retentionMonitorInterval, nodeId, clock);
  }

  public StoreOptions withRetention(Duration v, Duration interval) {
    return new StoreOptions(dataDir, compress, v, interval, nodeId, clock);
  }

  public StoreOptions withClock(Clock v) {
    return new StoreOptions(dataDir, compress, retention, retentionMonitorInterval, nodeId, v);
  }

  public StoreOptions withNodeId(long v) {
    return new StoreOptions(dataDir, compress, retention, retentionMonitorInterval, v, clock);
  }
}
