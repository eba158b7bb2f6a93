package dev.litefs.spring;

import java.util.Optional;

/**
 * A reason for this node not to take traffic yet, consulted by the starter's readiness probe and
 * {@code litefs} health contributor. {@code litefs-flyway} contributes one that holds a replica back until
 * replication has brought it the application's schema. Implementations must be cheap and must not block.
 */
@FunctionalInterface
public interface LiteFsReadinessCheck {

  /** Returns why this node is not ready, in words for an operator, or empty when it is ready. */
  Optional<String> notReadyReason();
}
