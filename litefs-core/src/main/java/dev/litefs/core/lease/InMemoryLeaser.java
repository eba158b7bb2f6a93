package dev.litefs.core.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A leaser whose server is an {@link InMemoryLeaseServer} in this JVM. Several leasers pointing at one server
 * behave like nodes of one cluster, with TTLs by the server's clock: for unit tests of code that elects a
 * primary, and for the starter's single-node dev mode.
 *
 * <p><b>For tests and running an application locally only</b>, as ShedLock's {@code InMemoryLockProvider}:
 * it elects nothing across processes.
 */
public final class InMemoryLeaser implements Leaser {
  static final String TYPE = "memory";

  private final InMemoryLeaseServer server;
  private final String key;
  private final PrimaryInfo node;
  private final Duration ttl;

  /**
   * @param server the server this node's cluster shares
   * @param key the key the primary holds
   * @param node this node's host name and advertise URL
   * @param ttl how long a lease lives without renewal
   */
  public InMemoryLeaser(InMemoryLeaseServer server, String key, PrimaryInfo node, Duration ttl) {
    this.server = Objects.requireNonNull(server, "server");
    this.key = Objects.requireNonNull(key, "key");
    this.node = Objects.requireNonNull(node, "node");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String hostname() {
    return node.hostname();
  }

  @Override
  public String advertiseUrl() {
    return node.advertiseUrl();
  }

  @Override
  public Lease acquire() throws LeaseException {
    Instant requestedAt = server.clock().instant();
    String leaseId = server.grant(ttl);
    try {
      server.claim(key, leaseId, node, false);
    } catch (LeaseException e) {
      server.revoke(leaseId);
      throw e;
    }
    return new InMemoryLease(server, key, leaseId, ttl, requestedAt);
  }

  @Override
  public Lease acquireExisting(String leaseId) throws LeaseException {
    Instant requestedAt = server.clock().instant();
    if (!server.keepAlive(leaseId)) {
      throw new LeaseExpiredException(TYPE, key, leaseId, "not found (expired or revoked)");
    }
    server.claim(key, leaseId, node, true);
    return new InMemoryLease(server, key, leaseId, ttl, requestedAt);
  }

  @Override
  public Optional<PrimaryInfo> primaryInfo() {
    return server.holder(key);
  }

  @Override
  public Optional<String> clusterId() {
    return server.clusterId(Leasers.clusterIdKey(key));
  }

  @Override
  public void setClusterId(String clusterId) throws ClusterIdMismatchException {
    server.setClusterId(Leasers.clusterIdKey(key), clusterId);
  }

  @Override
  public void close() {
    // No client resources.
  }
}
