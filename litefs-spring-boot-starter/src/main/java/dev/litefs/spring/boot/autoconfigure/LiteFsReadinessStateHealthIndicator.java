package dev.litefs.spring.boot.autoconfigure;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;

/**
 * Boot's readiness probe, which also refuses traffic while LiteFS says this node is not ready (before its
 * first sync, above {@code litefs.max-lag}, or while a replica waits for its schema). Liveness is left alone:
 * a replica is alive.
 */
final class LiteFsReadinessStateHealthIndicator extends ReadinessStateHealthIndicator {
  private final LiteFsReadiness readiness;

  LiteFsReadinessStateHealthIndicator(ApplicationAvailability availability, LiteFsReadiness readiness) {
    super(availability);
    this.readiness = readiness;
  }

  @Override
  protected AvailabilityState getState(ApplicationAvailability applicationAvailability) {
    AvailabilityState state = super.getState(applicationAvailability);
    if (state == ReadinessState.ACCEPTING_TRAFFIC && !readiness.isReady()) {
      return ReadinessState.REFUSING_TRAFFIC;
    }
    return state;
  }
}
