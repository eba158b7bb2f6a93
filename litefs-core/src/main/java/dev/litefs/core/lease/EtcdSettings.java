package dev.litefs.core.lease;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The etcd backend's settings ({@code lease.etcd.*}, our extension of LiteFS's configuration).
 *
 * @param endpoints etcd client URLs ({@code http} or {@code https}), tried in order when one cannot be
 *     connected to
 * @param key the key the primary holds; unique per cluster
 * @param ttl the lease TTL, a whole number of seconds (etcd counts leases in seconds): how long a crashed
 *     primary blocks writes. Null, zero or negative means the default. etcd raises a TTL below its minimum
 *     (1.5 election timeouts, rounded up: 2s with etcd's defaults)
 */
public record EtcdSettings(List<URI> endpoints, String key, Duration ttl) {
  /** The default TTL: 10s, Consul's, so switching backends does not change how long a stall is ridden out. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /**
   * @throws IllegalArgumentException if there is no endpoint, one is not an http or https URL with a host, the
   *     key is empty, or the TTL is not a whole number of seconds
   */
  public EtcdSettings {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(key, "key");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("lease.etcd.endpoints must list at least one URL");
    }
    for (URI e : endpoints) {
      if (!("http".equals(e.getScheme()) || "https".equals(e.getScheme())) || e.getHost() == null) {
        throw new IllegalArgumentException("lease.etcd.endpoints must be http or https URLs with a host: " + e);
      }
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("lease.etcd.key must be set");
    }
    ttl = ttl == null || ttl.isZero() || ttl.isNegative() ? DEFAULT_TTL : ttl;
    if (ttl.getNano() != 0) {
      throw new IllegalArgumentException("lease.etcd.ttl must be a whole number of seconds, not " + ttl);
    }
  }

  /** Settings with the default TTL. */
  public EtcdSettings(List<URI> endpoints, String key) {
    this(endpoints, key, DEFAULT_TTL);
  }
}
