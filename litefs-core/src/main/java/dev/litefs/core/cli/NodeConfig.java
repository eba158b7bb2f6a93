package dev.litefs.core.cli;

import dev.litefs.core.config.HttpConfig;
import dev.litefs.core.config.LeaseConfig;
import dev.litefs.core.config.LiteFsConfig;
import dev.litefs.core.lease.ConsulSettings;
import dev.litefs.core.lease.EtcdSettings;
import dev.litefs.core.lease.LeaserSettings;
import dev.litefs.core.node.NodeSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Optional;

/** Maps {@code litefs.yml} onto the lease and node settings, with LiteFS's defaults for the identity. */
final class NodeConfig {
  private NodeConfig() {}

  /** {@code lease.hostname}, or the machine's hostname ({@code $HOSTNAME}, as LiteFS sets it). */
  static String hostname(LeaseConfig lease) {
    if (!lease.hostname().isEmpty()) {
      return lease.hostname();
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** {@code lease.advertise-url}, or {@code http://<hostname>:<http port>} as LiteFS derives it. */
  static String advertiseUrl(LiteFsConfig c) {
    if (!c.lease().advertiseUrl().isEmpty()) {
      return c.lease().advertiseUrl();
    }
    String addr = c.http().addr();
    return "http://" + hostname(c.lease()) + ":" + addr.substring(addr.lastIndexOf(':') + 1);
  }

  static LeaserSettings leaser(LiteFsConfig c) {
    LeaseConfig l = c.lease();
    ConsulSettings consul = null;
    EtcdSettings etcd = null;
    switch (l.type()) {
      case CONSUL -> consul = new ConsulSettings(URI.create(l.consul().url().isEmpty() ? "http://127.0.0.1:8500"
          : l.consul().url()), l.consul().key(), l.consul().ttl(), l.consul().lockDelay());
      case ETCD -> etcd = new EtcdSettings(l.etcd().endpoints().stream().map(URI::create).toList(), l.etcd().key(),
          l.etcd().ttl());
      default -> { }
    }
    return new LeaserSettings(l.type().configName(), hostname(l), advertiseUrl(c), l.candidate(), consul, etcd);
  }

  static NodeSettings node(LiteFsConfig c, long nodeId) {
    LeaseConfig l = c.lease();
    return new NodeSettings(nodeId, hostname(l), l.candidate(), l.promote(), l.reconnectDelay(), l.demoteDelay(),
        new HashSet<>(l.databases()), NodeSettings.DEFAULT_HEARTBEAT, NodeSettings.DEFAULT_SILENT_PRIMARY_TIMEOUT);
  }

  static Optional<String> token(HttpConfig http) {
    return http.token() == null || http.token().isEmpty() ? Optional.empty() : Optional.of(http.token());
  }
}
