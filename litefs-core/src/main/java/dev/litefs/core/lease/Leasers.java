package dev.litefs.core.lease;

import java.time.Clock;

/** Builds the configured {@link Leaser}. */
public final class Leasers {
  private Leasers() {}

  /**
   * Opens the leaser that {@code settings.type()} names.
   *
   * @param clock the source of lease renewal times
   * @throws IllegalArgumentException if the type is unknown, its section is missing, or this node's host name
   *     or advertise URL is empty for Consul or etcd
   * @throws LeaseException if the backend refuses a startup call (Consul's catalog registration)
   */
  public static Leaser open(LeaserSettings settings, Clock clock) throws LeaseException {
    switch (settings.type()) {
      case StaticLeaser.TYPE:
        return new StaticLeaser(settings.candidate(), settings.node(), clock);
      case ConsulClient.TYPE:
        return ConsulLeaser.open(section(settings.consul(), "consul"), settings.node(), clock);
      case EtcdClient.TYPE:
        return EtcdLeaser.open(section(settings.etcd(), "etcd"), settings.node(), clock);
      default:
        throw new IllegalArgumentException("lease.type must be static, consul or etcd, not '" + settings.type() + "'");
    }
  }

  /** The key under which a backend stores the cluster ID: {@code <key>/clusterid}, as LiteFS. */
  static String clusterIdKey(String key) {
    return key + "/clusterid";
  }

  /** Consul and etcd publish this node's identity, so both parts are required (as LiteFS requires). */
  static void requireIdentity(PrimaryInfo node, String type) {
    if (node.hostname().isEmpty() || node.advertiseUrl().isEmpty()) {
      throw new IllegalArgumentException("lease.hostname and lease.advertise-url must be set for a " + type
          + " lease, got " + node);
    }
  }

  private static <T> T section(T section, String type) {
    if (section == null) {
      throw new IllegalArgumentException("lease." + type + " must be set with lease.type: " + type);
    }
    return section;
  }
}
