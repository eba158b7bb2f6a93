package dev.litefs.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Closing the hub ends every {@code /events} subscription, so the HTTP server stopping next waits for none. */
class EventHubTest {
  final EventHub hub = new EventHub(() -> new NodeEvent.Init(true, ""));

  @Test
  void aSubscriptionEndsAfterTheEventsQueuedBeforeTheHubClosed() throws Exception {
    EventHub.Subscription s = hub.subscribe();
    hub.publish(new NodeEvent.PrimaryChange(false, ""));
    hub.close();
    hub.publish(new NodeEvent.PrimaryChange(true, "after"));
    assertThat(s.next(0)).isEqualTo(new NodeEvent.Init(true, ""));
    assertThat(s.isEnded()).isFalse();
    assertThat(s.next(0)).isEqualTo(new NodeEvent.PrimaryChange(false, ""));
    long start = System.nanoTime();
    assertThat(s.next(60_000)).as("no wait once ended").isNull();
    assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    assertThat(s.isEnded()).isTrue();
    assertThat(hub.allClosed()).as("until the subscriber closes it").isFalse();
    s.close();
    assertThat(hub.allClosed()).isTrue();
  }

  @Test
  void aSubscriptionMadeAfterTheHubClosedGetsInitAndEnds() throws Exception {
    hub.close();
    EventHub.Subscription s = hub.subscribe();
    assertThat(s.next(0)).isEqualTo(new NodeEvent.Init(true, ""));
    assertThat(s.next(60_000)).isNull();
    assertThat(s.isEnded()).isTrue();
  }
}
