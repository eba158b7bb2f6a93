package dev.litefs.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.litefs.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The static leaser against the contract: node A is the configured primary, every other node a replica
 * configured with A's host name and URL (as LiteFS requires). It has none of the optional capabilities, and the
 * contract checks that it refuses them.
 */
class StaticLeaserTest extends AbstractLeaserContractTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));

  @Override
  protected Leaser newLeaser(String key, PrimaryInfo node) {
    boolean primary = node.hostname().equals(A);
    return new StaticLeaser(primary, info(A), clock);
  }

  @Override
  protected void letTimePass(Duration d) {
    clock.advance(d);
  }

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.noneOf(Capability.class);
  }

  @Test
  void aReplicaAdvertisesNoUrlOfItsOwn() {
    StaticLeaser replica = new StaticLeaser(false, info(A), clock);

    assertThat(replica.hostname()).isEqualTo(A);
    assertThat(replica.advertiseUrl()).isEmpty();
    assertThat(replica.type()).isEqualTo("static");
  }
}
