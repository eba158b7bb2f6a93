package dev.litefs.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code http} section: the node API that other nodes replicate from.
 *
 * @param addr the listen address ({@code http.addr}), {@code host:port} or {@code :port}
 * @param snapshotTimeout how long a replica may take to read a snapshot ({@code http.snapshot-timeout}); zero
 *     means {@code data.retention}, as in LiteFS
 * @param token our extension ({@code http.token}, see {@link Extensions}): a shared secret that node API
 *     requests must carry; empty means no token, which is what a cluster with upstream LiteFS nodes needs
 */
public record HttpConfig(String addr, Duration snapshotTimeout, String token) {
  /** LiteFS's defaults: port 20202 on every interface, snapshot timeout from retention; no token. */
  public static final HttpConfig DEFAULT = new HttpConfig(":20202", Duration.ZERO, "");

  public HttpConfig {
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(snapshotTimeout, "snapshotTimeout");
    Objects.requireNonNull(token, "token");
  }
}
