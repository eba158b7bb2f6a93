package dev.litefs.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code lease} section: how this node takes part in electing the primary.
 *
 * @param type the election backend ({@code lease.type}); {@code null} only when the file sets none, which
 *     validation rejects, so a loaded configuration always has one
 * @param hostname this node's name in {@code .primary} and {@code fly-replay} ({@code lease.hostname}); empty
 *     means the machine's host name
 * @param advertiseUrl this node's API URL for other nodes ({@code lease.advertise-url}); empty means
 *     {@code http://<hostname>:<http port>}. With a static lease, replicas set the primary's URL here
 * @param candidate whether this node may become primary ({@code lease.candidate}); with a static lease, the
 *     primary is the node where this is true
 * @param promote take over as primary once synced, if a candidate ({@code lease.promote})
 * @param reconnectDelay the wait before reconnecting after losing the primary ({@code lease.reconnect-delay})
 * @param demoteDelay the wait after a demotion before trying to become primary again
 *     ({@code lease.demote-delay})
 * @param databases the databases a non-candidate replicates ({@code lease.databases}); empty means all
 * @param consul the Consul settings ({@code lease.consul})
 * @param etcd our extension's etcd settings ({@code lease.etcd}, see {@link Extensions})
 */
public record LeaseConfig(
    LeaseType type,
    String hostname,
    String advertiseUrl,
    boolean candidate,
    boolean promote,
    Duration reconnectDelay,
    Duration demoteDelay,
    List<String> databases,
    ConsulConfig consul,
    EtcdConfig etcd) {
  /** LiteFS's defaults: no type, candidate, no promotion, 1s reconnect and 10s demote delays, all databases. */
  public static final LeaseConfig DEFAULT = new LeaseConfig(null, "", "", true, false, Duration.ofSeconds(1),
      Duration.ofSeconds(10), List.of(), ConsulConfig.DEFAULT, EtcdConfig.DEFAULT);

  public LeaseConfig {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(advertiseUrl, "advertiseUrl");
    Objects.requireNonNull(reconnectDelay, "reconnectDelay");
    Objects.requireNonNull(demoteDelay, "demoteDelay");
    databases = List.copyOf(databases);
    Objects.requireNonNull(consul, "consul");
    Objects.requireNonNull(etcd, "etcd");
  }
}
