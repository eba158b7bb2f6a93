package dev.litefs.core.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A Consul session holding the primary key. Its ID is the session ID. */
final class ConsulLease extends AbstractLease {
  static final String SESSION_GONE = "Consul no longer has the session (TTL ran out or it was destroyed)";

  private final ConsulClient client;
  private final String key;

  ConsulLease(ConsulClient client, String key, String session, Duration ttl, Clock clock, Instant requestedAt) {
    super(ConsulClient.TYPE, key, session, ttl, clock, requestedAt);
    this.client = client;
    this.key = key;
  }

  @Override
  void extend() throws LeaseException {
    if (!client.renewSession(id())) {
      throw new LeaseExpiredException(ConsulClient.TYPE, key, id(), SESSION_GONE);
    }
  }

  /**
   * Releases the key, then destroys the session. In this order Consul applies no lock-delay (it applies only to
   * keys a session still held when invalidated), so a candidate can acquire at once.
   */
  @Override
  void release() throws LeaseException {
    releaseInTwoSteps(() -> client.release(key, id()), () -> client.destroySession(id()));
  }
}
