package dev.litefs.core.lease;

import java.time.Clock;
import java.time.Duration;

/** The static primary's lease: lives a thousand years, renews without asking anyone, cannot be handed off. */
final class StaticLease extends AbstractLease {
  static final String NO_HANDOFF = "handoff is not supported: the static primary is fixed by configuration";

  // "Never": LiteFS's static lease runs until the year 3000.
  private static final Duration TTL = Duration.ofDays(365L * 1000);

  StaticLease(Clock clock) {
    super(StaticLeaser.TYPE, "", "static", TTL, clock, clock.instant());
  }

  @Override
  void extend() {
    // Nothing to extend: the lease never expires.
  }

  @Override
  void release() {
    // Nothing to release: the primary is fixed by configuration.
  }

  /** Always throws: a static primary is fixed by configuration. */
  @Override
  public void handoff(long nodeId, Duration timeout) throws LeaseException {
    throw new LeaseException(StaticLeaser.TYPE, "", NO_HANDOFF);
  }
}
