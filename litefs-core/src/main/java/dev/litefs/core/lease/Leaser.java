package dev.litefs.core.lease;

import java.util.Optional;

/**
 * Elects the primary: whoever holds the lease is the primary, and everyone else can read who that is. One
 * implementation per backend; all pass the same contract tests. Implementations are thread-safe.
 *
 * <p>Whether this node may try to become primary ({@code lease.candidate}) is the caller's decision, as in
 * LiteFS; only {@link StaticLeaser} takes it from its configuration.
 */
public interface Leaser extends AutoCloseable {
  /** Returns the backend's name: {@code static}, {@code consul}, {@code etcd} or {@code memory}. */
  String type();

  /** Returns this node's host name, as published in {@link PrimaryInfo} when it is primary. */
  String hostname();

  /** Returns the URL of this node's API, as published in {@link PrimaryInfo} when it is primary. */
  String advertiseUrl();

  /**
   * Tries once to become primary, publishing this node's {@link PrimaryInfo} with the lease.
   *
   * @return the lease, held until it expires unrenewed or is closed
   * @throws PrimaryExistsException if another node holds the lease
   * @throws LeaseException if the backend cannot be asked or refuses
   */
  Lease acquire() throws LeaseException;

  /**
   * Takes over a lease that the primary is handing to this node: keeps it alive and republishes it with this
   * node's {@link PrimaryInfo}. The lease ID comes from the old primary (in the replication stream's Handoff
   * frame).
   *
   * @throws LeaseExpiredException if that lease no longer exists
   * @throws PrimaryExistsException if the key is held by a different lease
   * @throws LeaseException if the backend does not support handoff or cannot be asked
   */
  Lease acquireExisting(String leaseId) throws LeaseException;

  /**
   * Returns who holds the lease, or empty if nobody does. A node does not see itself: a static primary gets
   * empty, as in LiteFS.
   *
   * @throws LeaseException if the backend cannot be asked, or holds a value that is not primary info
   */
  Optional<PrimaryInfo> primaryInfo() throws LeaseException;

  /**
   * Returns the cluster ID stored with the lease, or empty if none has been set (and always for static leases,
   * whose cluster ID lives only in the data directory).
   *
   * @throws LeaseException if the backend cannot be asked
   */
  Optional<String> clusterId() throws LeaseException;

  /**
   * Stores the cluster ID if none is stored yet (create-if-absent, so two racing primaries cannot both win).
   * Setting the ID that is already stored does nothing. A static leaser stores nothing.
   *
   * @throws ClusterIdMismatchException if a different ID is stored
   * @throws LeaseException if the backend cannot be asked
   */
  void setClusterId(String clusterId) throws LeaseException;

  /** Frees client resources. Leases are not released by this: close them first. */
  @Override
  void close();
}
