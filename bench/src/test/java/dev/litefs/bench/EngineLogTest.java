package dev.litefs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineLogTest {
  static final List<String> LOG = List.of(
      "2026-11-26T09:49:50.057Z INFO LeaseLoop - stream from primary fo-a ended",
      "\tat a.stack.Trace(Trace.java:1) primary lease acquired",
      "2026-11-26T09:49:50.102Z INFO Node - primary lease acquired (1130581727259302663, ttl PT2S)",
      "2026-11-26T09:49:52.064Z INFO Node - primary lease acquired (1130581727259302726, ttl PT2S)");

  static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void readsTheInstantThatStartsALine() {
    assertThat(EngineLog.time(LOG.get(0))).hasValue(millis("2026-11-26T09:49:50.057Z"));
  }

  @Test
  void linesWithoutAnInstantHaveNoTime() {
    assertThat(EngineLog.time(LOG.get(1))).isEmpty();
    assertThat(EngineLog.time("")).isEmpty();
    assertThat(EngineLog.time("litefs: unmounting failed because of something")).isEmpty();
  }

  @Test
  void findsTheFirstMatchingLineAtOrAfterATime() {
    assertThat(EngineLog.first(LOG, "primary lease acquired", 0)).hasValue(millis("2026-11-26T09:49:50.102Z"));
    assertThat(EngineLog.first(LOG, "primary lease acquired", millis("2026-11-26T09:49:50.102Z")))
        .hasValue(millis("2026-11-26T09:49:50.102Z"));
    assertThat(EngineLog.first(LOG, "primary lease acquired", millis("2026-11-26T09:49:50.103Z")))
        .hasValue(millis("2026-11-26T09:49:52.064Z"));
    assertThat(EngineLog.first(LOG, "primary lease acquired", millis("2026-11-26T09:49:53Z"))).isEmpty();
    assertThat(EngineLog.first(LOG, "handing the lease off", 0)).isEmpty();
  }
}
