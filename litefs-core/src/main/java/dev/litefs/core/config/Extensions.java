package dev.litefs.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Our additions to LiteFS's {@code litefs.yml} schema, all bound and validated here and documented in
 * {@code docs/config.md} ("Extensions"). Upstream LiteFS rejects unknown keys, so a file that uses any of them is
 * for litefs-java nodes only; nodes of a mixed cluster use upstream's keys.
 *
 * <ul>
 *   <li>{@code lease.type: etcd}, with {@code lease.etcd.endpoints} (etcd client URLs), {@code lease.etcd.key}
 *       (the key the primary holds, unique per cluster) and {@code lease.etcd.ttl} (default
 *       {@link EtcdConfig#DEFAULT_TTL}): leader election on etcd, for Kubernetes and anywhere Consul is not
 *       at hand;
 *   <li>{@code http.token}: a shared secret that node API requests must carry when set. Upstream nodes send
 *       none, so a cluster that includes upstream LiteFS nodes runs without it.
 * </ul>
 */
public final class Extensions {
  /** The {@code lease.type} of the etcd lease. */
  public static final String ETCD_LEASE_TYPE = "etcd";

  /** Every key we add to LiteFS's schema. */
  public static final List<String> KEYS = List.of("lease.etcd.endpoints", "lease.etcd.key", "lease.etcd.ttl",
      "http.token");

  private Extensions() {}

  /** Binds the {@code lease.etcd} section. */
  static EtcdConfig etcd(Section s) {
    EtcdConfig d = EtcdConfig.DEFAULT;
    return new EtcdConfig(s.strings("endpoints", d.endpoints()), s.string("key", d.key()), s.duration("ttl",
        d.ttl()));
  }

  /** Binds {@code http.token}. */
  static String token(Section http) {
    return http.string("token", HttpConfig.DEFAULT.token());
  }

  /** Checks the etcd settings when {@code lease.type} is etcd, and the token when set. */
  static void validate(LiteFsConfig config, ConfigValidator v) {
    if (config.lease().type() == LeaseType.ETCD && v.isKnown("lease.type")) {
      validateEtcd(config.lease().etcd(), v);
    }
    String token = config.http().token();
    if (v.isKnown("http.token") && !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      // It travels in an HTTP header, where spaces, controls and non-ASCII are trouble.
      v.error("http.token", "http.token must be printable ASCII without spaces");
    }
  }

  private static void validateEtcd(EtcdConfig etcd, ConfigValidator v) {
    if (v.isKnown("lease.etcd.endpoints") && etcd.endpoints().isEmpty()) {
      v.error("lease.etcd.endpoints", "lease.etcd.endpoints is required with lease.type: etcd: a list of URLs "
          + "such as http://127.0.0.1:2379");
    }
    for (int i = 0; i < etcd.endpoints().size(); i++) {
      v.requireHttpUrl(ConfigKeys.item("lease.etcd.endpoints", i), etcd.endpoints().get(i), false);
    }
    v.requireValue("lease.etcd.key", etcd.key(), " with lease.type: etcd");
    Duration ttl = etcd.ttl();
    if (!v.isKnown("lease.etcd.ttl")) {
      return;
    }
    if (ttl.isZero() || ttl.isNegative()) {
      v.error("lease.etcd.ttl", "lease.etcd.ttl must be positive");
    } else if (ttl.toNanosPart() != 0) {
      v.error("lease.etcd.ttl", "lease.etcd.ttl must be a whole number of seconds (etcd counts leases in seconds)");
    }
  }
}
