package dev.litefs.core.lease;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The Consul backend's settings ({@code lease.consul.*}).
 *
 * @param url Consul's URL; the password of its user info is the ACL token, and its path a key prefix (with a
 *     prefix, a catalog node {@code <prefix>/litefs} is registered and the session bound to it), as in LiteFS:
 *     {@code https://:TOKEN@consul.example:8500/my-app}
 * @param key the key the primary holds, under the prefix; unique per cluster
 * @param ttl the session TTL; Consul accepts 10s to 24h, and invalidates a session up to twice its TTL after the
 *     last renewal. Zero or negative means the default
 * @param lockDelay how long Consul keeps the key from being acquired after the holder's session is
 *     invalidated (not after a clean release). Zero or negative means the default
 */
public record ConsulSettings(URI url, String key, Duration ttl, Duration lockDelay) {
  /** LiteFS's session TTL: 10s. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /** LiteFS's lock delay: 1s. */
  public static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(1);

  /**
   * @throws IllegalArgumentException if the URL is not http or https with a host, or the key is empty
   */
  public ConsulSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(key, "key");
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
      throw new IllegalArgumentException("lease.consul.url must be an http or https URL with a host: " + redacted(url));
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("lease.consul.key must be set");
    }
    ttl = positiveOr(ttl, DEFAULT_TTL);
    lockDelay = positiveOr(lockDelay, DEFAULT_LOCK_DELAY);
  }

  /** Settings with LiteFS's default TTL and lock delay. */
  public ConsulSettings(URI url, String key) {
    this(url, key, DEFAULT_TTL, DEFAULT_LOCK_DELAY);
  }

  /** Returns the URL without its user info, which holds the ACL token. */
  @Override
  public String toString() {
    return "ConsulSettings[url=" + redacted(url) + ", key=" + key + ", ttl=" + ttl + ", lockDelay=" + lockDelay + "]";
  }

  static String redacted(URI url) {
    return url.getRawUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "***@");
  }

  private static Duration positiveOr(Duration value, Duration fallback) {
    return value == null || value.isZero() || value.isNegative() ? fallback : value;
  }
}
