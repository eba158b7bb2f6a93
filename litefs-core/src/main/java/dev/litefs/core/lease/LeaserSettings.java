package dev.litefs.core.lease;

import java.util.Objects;

/**
 * How this node takes part in electing the primary ({@code lease.*}), as {@link Leasers#open} needs it.
 *
 * @param type {@code static}, {@code consul} or {@code etcd} ({@code lease.type})
 * @param hostname this node's host name ({@code lease.hostname}); with a static lease on a replica, the
 *     primary's
 * @param advertiseUrl this node's API URL ({@code lease.advertise-url}); with a static lease on a replica, the
 *     primary's
 * @param candidate whether this node may become primary ({@code lease.candidate}); the static leaser's only
 *     input, the others leave the decision to the caller
 * @param consul the Consul settings; required with {@code type: consul}, otherwise may be null
 * @param etcd the etcd settings; required with {@code type: etcd}, otherwise may be null
 */
public record LeaserSettings(
    String type, String hostname, String advertiseUrl, boolean candidate, ConsulSettings consul, EtcdSettings etcd) {
  public LeaserSettings {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(advertiseUrl, "advertiseUrl");
  }

  /** Returns the host name and advertise URL as the primary info they publish. */
  public PrimaryInfo node() {
    return new PrimaryInfo(hostname, advertiseUrl);
  }
}
