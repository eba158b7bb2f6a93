package dev.litefs.core.node;

import java.time.Duration;
import java.util.Set;

/**
 * How a node behaves in the cluster.
 *
 * @param nodeId this process's random node ID ({@code Litefs-Id})
 * @param hostname this node's {@code lease.hostname}
 * @param candidate whether it may become primary ({@code lease.candidate})
 * @param promote whether it asks for the lease once synced ({@code lease.promote})
 * @param reconnectDelay the pause before reconnecting to a primary ({@code lease.reconnect-delay}, 1s)
 * @param demoteDelay how long a demoted node waits before it may acquire again ({@code lease.demote-delay})
 * @param databases the databases a replica keeps ({@code lease.databases}); empty for all
 * @param heartbeatInterval how often an idle primary stream sends a heartbeat (1s)
 * @param silentPrimaryTimeout how long a replica waits without any frame before it gives the primary up
 */
public record NodeSettings(long nodeId, String hostname, boolean candidate, boolean promote, Duration reconnectDelay,
    Duration demoteDelay, Set<String> databases, Duration heartbeatInterval, Duration silentPrimaryTimeout) {
  /** LiteFS's heartbeat interval. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
  /** Five missed heartbeats: LiteFS has no such timeout and waits for TCP. */
  public static final Duration DEFAULT_SILENT_PRIMARY_TIMEOUT = Duration.ofSeconds(5);

  public NodeSettings {
    databases = Set.copyOf(databases);
  }
}
