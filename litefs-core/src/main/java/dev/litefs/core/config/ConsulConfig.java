package dev.litefs.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code lease.consul} section. LiteFS replaces a zero or negative {@code ttl} or {@code lock-delay} with its
 * default, and so does this record.
 *
 * @param url the Consul URL ({@code lease.consul.url}); the password of its user info is the ACL token and its
 *     path a key prefix; required with {@code lease.type: consul}
 * @param key the key the primary holds ({@code lease.consul.key}), unique per cluster; required with
 *     {@code lease.type: consul}
 * @param ttl the session TTL ({@code lease.consul.ttl}); Consul's minimum is 10s
 * @param lockDelay how long after a lost session before another node may take the key
 *     ({@code lease.consul.lock-delay})
 */
public record ConsulConfig(String url, String key, Duration ttl, Duration lockDelay) {
  /** LiteFS's session TTL. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /** LiteFS's lock delay. */
  public static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(1);

  /** LiteFS's defaults: no URL or key, 10s TTL, 1s lock delay. */
  public static final ConsulConfig DEFAULT = new ConsulConfig("", "", DEFAULT_TTL, DEFAULT_LOCK_DELAY);

  public ConsulConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(key, "key");
    ttl = positiveOr(ttl, DEFAULT_TTL);
    lockDelay = positiveOr(lockDelay, DEFAULT_LOCK_DELAY);
  }

  private static Duration positiveOr(Duration value, Duration fallback) {
    Objects.requireNonNull(value, "duration");
    return value.isZero() || value.isNegative() ? fallback : value;
  }
}
