package dev.litefs.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code lease.etcd} section: our extension (see {@link Extensions}), used with {@code lease.type: etcd}.
 *
 * @param endpoints the etcd client URLs ({@code lease.etcd.endpoints}), {@code http} or {@code https}; at least
 *     one with {@code lease.type: etcd}
 * @param key the key the primary holds ({@code lease.etcd.key}), unique per cluster; required with
 *     {@code lease.type: etcd}
 * @param ttl the lease TTL ({@code lease.etcd.ttl}), a whole number of seconds since etcd counts leases in
 *     seconds; how long a crashed primary blocks writes before another node takes over
 */
public record EtcdConfig(List<String> endpoints, String key, Duration ttl) {
  /**
   * The default TTL: 10s, the same as Consul's, so that switching {@code lease.type} does not change how a
   * node rides out a stall. Lower it (to 2s, say) for faster failover; etcd raises TTLs below its own minimum
   * (1.5 election timeouts: 2s with etcd's defaults).
   */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /** Our defaults: no endpoints or key, a 10s TTL. */
  public static final EtcdConfig DEFAULT = new EtcdConfig(List.of(), "", DEFAULT_TTL);

  public EtcdConfig {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ttl, "ttl");
  }
}
