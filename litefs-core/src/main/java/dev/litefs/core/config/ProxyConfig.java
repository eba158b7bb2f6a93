package dev.litefs.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code proxy} section: LiteFS's built-in HTTP proxy. Accepted so that LiteFS configs load, but not
 * implemented in litefs-java (see {@link NotYetImplemented}); Spring applications get the same behaviour from
 * the starter.
 *
 * @param addr the proxy's listen address ({@code proxy.addr})
 * @param target the application's {@code host:port} ({@code proxy.target}); empty disables the proxy
 * @param db the database whose TXID the proxy tracks for read-your-writes ({@code proxy.db})
 * @param maxLag replication lag above which the health check fails ({@code proxy.max-lag})
 * @param debug log every proxied request ({@code proxy.debug})
 * @param passthrough path patterns ({@code *} wildcard) sent to the application untouched
 *     ({@code proxy.passthrough})
 * @param alwaysForward path patterns always forwarded to the primary ({@code proxy.always-forward})
 * @param primaryRedirectTimeout how long a write waits for a primary to be known
 *     ({@code proxy.primary-redirect-timeout})
 * @param readTimeout {@code proxy.read-timeout}; zero means none
 * @param readHeaderTimeout {@code proxy.read-header-timeout}
 * @param writeTimeout {@code proxy.write-timeout}; zero means none
 * @param idleTimeout {@code proxy.idle-timeout}
 */
public record ProxyConfig(
    String addr,
    String target,
    String db,
    Duration maxLag,
    boolean debug,
    List<String> passthrough,
    List<String> alwaysForward,
    Duration primaryRedirectTimeout,
    Duration readTimeout,
    Duration readHeaderTimeout,
    Duration writeTimeout,
    Duration idleTimeout) {
  /** LiteFS's defaults: disabled; 10s max lag, 5s primary wait, 10s header read and 30s idle timeouts. */
  public static final ProxyConfig DEFAULT = new ProxyConfig("", "", "", Duration.ofSeconds(10), false, List.of(),
      List.of(), Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO,
      Duration.ofSeconds(30));

  public ProxyConfig {
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(maxLag, "maxLag");
    passthrough = List.copyOf(passthrough);
    alwaysForward = List.copyOf(alwaysForward);
    Objects.requireNonNull(primaryRedirectTimeout, "primaryRedirectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(readHeaderTimeout, "readHeaderTimeout");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }
}
