package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.core.ltx.Pos;
import dev.litefs.spring.LiteFs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code litefs} health contributor: {@code UP} when this node can take traffic, {@code OUT_OF_SERVICE}
 * with the reasons otherwise. Details: {@code mode}, {@code role}, {@code hostname}, {@code primary},
 * {@code connected}, {@code synced}, {@code lagMillis} (when known), {@code databases} (TXID and checksum of
 * each) and {@code notReady} (when not ready).
 */
final class LiteFsHealthIndicator extends AbstractHealthIndicator {
  private final LiteFs liteFs;
  private final LiteFsReadiness readiness;

  LiteFsHealthIndicator(LiteFs liteFs, LiteFsReadiness readiness) {
    super("LiteFS health check failed");
    this.liteFs = liteFs;
    this.readiness = readiness;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    List<String> notReady = readiness.notReadyReasons();
    builder.status(notReady.isEmpty() ? Status.UP : Status.OUT_OF_SERVICE);
    builder.withDetail("mode", liteFs.mode().name().toLowerCase(Locale.ROOT));
    builder.withDetail("role", liteFs.isPrimary() ? "primary" : "replica");
    builder.withDetail("hostname", liteFs.hostname());
    builder.withDetail("primary", liteFs.primaryHostname().orElse("unknown"));
    builder.withDetail("connected", liteFs.isConnected());
    builder.withDetail("synced", liteFs.isSynced());
    Optional<Duration> lag = liteFs.lag();
    lag.ifPresent(d -> builder.withDetail("lagMillis", d.toMillis()));
    Map<String, Map<String, String>> dbs = new LinkedHashMap<>();
    for (Map.Entry<String, Pos> e : liteFs.positions().entrySet()) {
      dbs.put(e.getKey(), Map.of("txid", e.getValue().txid().toString(),
          "checksum", e.getValue().postApplyChecksum().toString()));
    }
    builder.withDetail("databases", dbs);
    if (!notReady.isEmpty()) {
      builder.withDetail("notReady", notReady);
    }
  }
}
