package dev.litefs.spring.boot.autoconfigure;

import dev.litefs.spring.LiteFs;
import dev.litefs.spring.LiteFsReadinessCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Why this node should not take traffic: it has not synced with a primary yet, its replication lag is above
 * {@code litefs.max-lag}, or a {@link LiteFsReadinessCheck} (such as litefs-flyway's schema check) says so.
 */
final class LiteFsReadiness {
  private final LiteFs liteFs;
  private final Duration maxLag;
  private final ObjectProvider<LiteFsReadinessCheck> checks;

  LiteFsReadiness(LiteFs liteFs, Duration maxLag, ObjectProvider<LiteFsReadinessCheck> checks) {
    this.liteFs = liteFs;
    this.maxLag = maxLag;
    this.checks = checks;
  }

  List<String> notReadyReasons() {
    List<String> reasons = new ArrayList<>();
    if (!liteFs.isSynced()) {
      reasons.add("waiting for the first sync with the primary");
    } else if (!liteFs.isPrimary() && !maxLag.isZero()) {
      Optional<Duration> lag = liteFs.lag();
      if (lag.isPresent() && lag.get().compareTo(maxLag) > 0) {
        reasons.add("replication lag " + lag.get().toMillis() + " ms is above litefs.max-lag (" + maxLag.toMillis()
            + " ms)");
      }
    }
    checks.orderedStream().forEach(c -> c.notReadyReason().ifPresent(reasons::add));
    return reasons;
  }

  boolean isReady() {
    return notReadyReasons().isEmpty();
  }
}
