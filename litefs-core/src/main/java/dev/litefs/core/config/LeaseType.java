package dev.litefs.core.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the cluster elects its primary: the values of {@code lease.type}. */
public enum LeaseType {
  /** A fixed primary: the node with {@code candidate: true}; no failover. */
  STATIC("static"),
  /** A lease on a Consul key, as in LiteFS. */
  CONSUL("consul"),
  /** A lease on an etcd key: our extension, see {@link Extensions}. */
  ETCD(Extensions.ETCD_LEASE_TYPE);

  private final String configName;

  LeaseType(String configName) {
    this.configName = configName;
  }

  /** Returns the name used in {@code litefs.yml}. */
  public String configName() {
    return configName;
  }

  /** Returns the type named {@code name} exactly as in {@code litefs.yml}, if there is one. */
  public static Optional<LeaseType> fromConfigName(String name) {
    return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
  }

  /** Returns the names in {@code litefs.yml} form, for messages: {@code static, consul or etcd}. */
  static String names() {
    String all = Arrays.stream(values()).map(LeaseType::configName).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
