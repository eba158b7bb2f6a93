package dev.litefs.edge;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.StringJoiner;

/** The request headers Fly's proxy adds to a replayed request, in its field format ({@code name=value;...}). */
final class ReplayHeaders {
  static final String SRC = "fly-replay-src";
  static final String FAILED = "fly-replay-failed";
  static final String PREFERRED_UNAVAILABLE = "fly-preferred-instance-unavailable";

  private ReplayHeaders() {}

  /**
   * {@code fly-replay-src}: the Machine that answered with fly-replay, its region, when (microseconds since the
   * epoch), and the {@code state} it sent, if any.
   */
  static String source(Node from, FlyReplay replay, Clock clock) {
    Instant now = clock.instant();
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
    StringJoiner fields = new StringJoiner(";");
    fields.add("instance=" + from.id()).add("region=" + from.region()).add("t=" + micros);
    replay.state().ifPresent(state -> fields.add("state=" + state));
    return fields.toString();
  }

  /**
   * {@code fly-replay-failed}, on a fallback delivery: what was asked for, who asked, why it failed and after how
   * long.
   */
  static String failed(Node from, FlyReplay replay, String reason, long elapsedMillis) {
    StringJoiner fields = new StringJoiner(";");
    replay.instance().or(replay::preferInstance).ifPresent(id -> fields.add("instance=" + id));
    replay.app().ifPresent(app -> fields.add("app=" + app));
    if (!replay.regions().isEmpty()) {
      fields.add("region=\"" + String.join(",", replay.regions()) + "\"");
    }
    fields.add("replay_source=" + from.id()).add("reason=" + reason).add("elapsed_ms=" + elapsedMillis);
    return fields.toString();
  }
}
