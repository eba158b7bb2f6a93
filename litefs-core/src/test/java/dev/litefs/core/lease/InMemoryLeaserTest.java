package dev.litefs.core.lease;

import dev.litefs.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;

/** The in-memory leaser passes the whole contract, with time from a clock the test moves. */
class InMemoryLeaserTest extends AbstractLeaserContractTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  private final InMemoryLeaseServer server = new InMemoryLeaseServer(clock);

  @Override
  protected Leaser newLeaser(String key, PrimaryInfo node) {
    return new InMemoryLeaser(server, key, node, Duration.ofSeconds(10));
  }

  @Override
  protected void letTimePass(Duration d) {
    clock.advance(d);
  }
}
