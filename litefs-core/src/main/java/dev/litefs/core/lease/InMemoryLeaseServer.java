package dev.litefs.core.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-process stand-in for a lease server, shared by the {@link InMemoryLeaser}s of one JVM: leases that
 * expire after their TTL by an injected {@link Clock}, keys held by a lease (gone with it), and cluster IDs.
 * It models etcd's semantics: a key is created only if absent, and a lease's keys vanish when it expires or is
 * revoked.
 *
 * <p><b>For tests and running an application locally only</b>: nothing is shared between processes and
 * nothing survives a restart.
 */
public final class InMemoryLeaseServer {
  private record Holder(String leaseId, PrimaryInfo info) {}

  private record Grant(Duration ttl, Instant expiresAt) {}

  private final Clock clock;
  private final Map<String, Grant> leases = new HashMap<>();
  private final Map<String, Holder> keys = new HashMap<>();
  private final Map<String, String> clusterIds = new HashMap<>();
  private long lastLeaseId;

  /** @param clock decides when leases expire */
  public InMemoryLeaseServer(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Clock clock() {
    return clock;
  }

  synchronized String grant(Duration ttl) {
    String id = Long.toString(++lastLeaseId);
    leases.put(id, new Grant(ttl, clock.instant().plus(ttl)));
    return id;
  }

  /** Extends a live lease by its TTL and returns true, or returns false if it has expired or was revoked. */
  synchronized boolean keepAlive(String leaseId) {
    expire();
    Grant g = leases.get(leaseId);
    if (g == null) {
      return false;
    }
    leases.put(leaseId, new Grant(g.ttl(), clock.instant().plus(g.ttl())));
    return true;
  }

  /**
   * Makes {@code leaseId} hold {@code key} with {@code info}: if the key is free, or if {@code takeOver} and
   * the key is already held by that same lease (a handoff republishing it).
   *
   * @throws LeaseExpiredException if the lease has expired or was revoked
   * @throws PrimaryExistsException if another lease holds the key
   */
  synchronized void claim(String key, String leaseId, PrimaryInfo info, boolean takeOver) throws LeaseException {
    expire();
    if (!leases.containsKey(leaseId)) {
      throw new LeaseExpiredException(InMemoryLeaser.TYPE, key, leaseId, "not found (expired or revoked)");
    }
    Holder current = keys.get(key);
    if (current != null && !(takeOver && current.leaseId().equals(leaseId))) {
      throw new PrimaryExistsException(InMemoryLeaser.TYPE, key, Optional.of(current.info()));
    }
    keys.put(key, new Holder(leaseId, info));
  }

  /** Returns whether {@code leaseId} is alive and still holds {@code key}. */
  synchronized boolean holds(String key, String leaseId) {
    expire();
    Holder h = keys.get(key);
    return h != null && h.leaseId().equals(leaseId);
  }

  /** Ends a lease and frees its keys at once. Revoking an unknown lease does nothing. */
  synchronized void revoke(String leaseId) {
    leases.remove(leaseId);
    keys.values().removeIf(h -> h.leaseId().equals(leaseId));
  }

  synchronized Optional<PrimaryInfo> holder(String key) {
    expire();
    return Optional.ofNullable(keys.get(key)).map(Holder::info);
  }

  synchronized Optional<String> clusterId(String key) {
    return Optional.ofNullable(clusterIds.get(key));
  }

  synchronized void setClusterId(String key, String clusterId) throws ClusterIdMismatchException {
    String stored = clusterIds.putIfAbsent(key, clusterId);
    if (stored != null && !stored.equals(clusterId)) {
      throw new ClusterIdMismatchException(InMemoryLeaser.TYPE, key, stored, clusterId);
    }
  }

  private void expire() {
    Instant now = clock.instant();
    leases.entrySet().removeIf(e -> !now.isBefore(e.getValue().expiresAt()));
    keys.values().removeIf(h -> !leases.containsKey(h.leaseId()));
  }
}
