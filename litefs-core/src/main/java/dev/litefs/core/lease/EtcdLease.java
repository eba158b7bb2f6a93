package dev.litefs.core.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** An etcd lease with the primary key attached. Its ID is etcd's lease ID in decimal. */
final class EtcdLease extends AbstractLease {
  static final String LEASE_GONE = "etcd no longer has the lease (TTL ran out or it was revoked)";

  private final EtcdClient client;
  private final String key;
  private final long lease;

  EtcdLease(EtcdClient client, String key, long lease, Duration ttl, Clock clock, Instant requestedAt) {
    super(EtcdClient.TYPE, key, Long.toString(lease), ttl, clock, requestedAt);
    this.client = client;
    this.key = key;
    this.lease = lease;
  }

  /**
   * Keeps the lease alive, then checks that the key is still attached to it: a key deleted or rewritten by hand
   * would otherwise leave two primaries.
   */
  @Override
  void extend() throws LeaseException {
    if (client.keepAlive(lease) <= 0) {
      throw new LeaseExpiredException(EtcdClient.TYPE, key, id(), LEASE_GONE);
    }
    boolean attached = client.range(key).map(kv -> kv.lease() == lease).orElse(false);
    if (!attached) {
      throw new LeaseExpiredException(EtcdClient.TYPE, key, id(), "the key is gone or attached to another lease");
    }
  }

  /**
   * Revokes the lease, which deletes the key in the same step if it is still attached to it. One write to etcd
   * (one fsync on its side) instead of a deletion and a revocation: a candidate waits for it on a clean shutdown.
   */
  @Override
  void release() throws LeaseException {
    client.revoke(lease);
  }
}
