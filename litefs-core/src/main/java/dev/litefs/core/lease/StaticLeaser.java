package dev.litefs.core.lease;

import java.time.Clock;
import java.util.Optional;

/**
 * A fixed primary ({@code lease.type: static}), as LiteFS's static leaser: the candidate node is primary for
 * good, and every other node is configured with the primary's host name and URL. Nothing expires, nothing is
 * handed off, and no cluster ID is stored (it lives only in the data directory).
 */
public final class StaticLeaser implements Leaser {
  static final String TYPE = "static";

  private final boolean candidate;
  private final PrimaryInfo node;
  private final Clock clock;

  /**
   * @param candidate whether this node is the primary
   * @param node on the primary, this node; on a replica, the primary's host name and advertise URL
   * @param clock the source of the lease's renewal times
   */
  public StaticLeaser(boolean candidate, PrimaryInfo node, Clock clock) {
    this.candidate = candidate;
    this.node = node;
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Returns the configured host name: this node's on the primary, the primary's on a replica. */
  @Override
  public String hostname() {
    return node.hostname();
  }

  /** Returns the configured advertise URL on the primary, and an empty string on a replica (as LiteFS). */
  @Override
  public String advertiseUrl() {
    return candidate ? node.advertiseUrl() : "";
  }

  /**
   * Returns a lease that never expires on the primary.
   *
   * @throws PrimaryExistsException on a replica, naming the configured primary
   */
  @Override
  public Lease acquire() throws PrimaryExistsException {
    if (!candidate) {
      throw new PrimaryExistsException(TYPE, "", Optional.of(node));
    }
    return new StaticLease(clock);
  }

  /** Always throws: a static primary is fixed by configuration and cannot be handed off. */
  @Override
  public Lease acquireExisting(String leaseId) throws LeaseException {
    throw new LeaseException(TYPE, "", StaticLease.NO_HANDOFF);
  }

  /** Returns the configured primary on a replica, and empty on the primary itself. */
  @Override
  public Optional<PrimaryInfo> primaryInfo() {
    return candidate ? Optional.empty() : Optional.of(node);
  }

  /** Returns empty: a static cluster's ID lives only in the data directory. */
  @Override
  public Optional<String> clusterId() {
    return Optional.empty();
  }

  /** Does nothing: a static cluster's ID lives only in the data directory. */
  @Override
  public void setClusterId(String clusterId) {
    // Nothing to store: replicas adopt the primary's cluster ID from the replication stream.
  }

  @Override
  public void close() {
    // No client resources.
  }
}
