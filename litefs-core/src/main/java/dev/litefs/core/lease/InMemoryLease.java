package dev.litefs.core.lease;

import java.time.Duration;
import java.time.Instant;

/** A lease on an {@link InMemoryLeaseServer}. */
final class InMemoryLease extends AbstractLease {
  private final InMemoryLeaseServer server;
  private final String key;

  InMemoryLease(InMemoryLeaseServer server, String key, String id, Duration ttl, Instant requestedAt) {
    super(InMemoryLeaser.TYPE, key, id, ttl, server.clock(), requestedAt);
    this.server = server;
    this.key = key;
  }

  @Override
  void extend() throws LeaseExpiredException {
    if (!server.keepAlive(id()) || !server.holds(key, id())) {
      throw new LeaseExpiredException(InMemoryLeaser.TYPE, key, id(), "not found (expired or revoked)");
    }
  }

  @Override
  void release() {
    server.revoke(id());
  }
}
