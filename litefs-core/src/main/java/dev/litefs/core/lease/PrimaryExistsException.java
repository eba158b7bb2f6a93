package dev.litefs.core.lease;

import java.util.Optional;

/** The lease could not be acquired because another node holds it. The message names the holder when known. */
public class PrimaryExistsException extends LeaseException {
  private final PrimaryInfo holder;

  /**
   * @param holder the node holding the lease, if the backend could tell (it may have released it since)
   */
  public PrimaryExistsException(String backend, String key, Optional<PrimaryInfo> holder) {
    super(backend, key, "already held by " + holder.map(PrimaryInfo::toString).orElse("another node"));
    this.holder = holder.orElse(null);
  }

  /** Returns the node that held the lease when acquisition failed, if known. */
  public Optional<PrimaryInfo> holder() {
    return Optional.ofNullable(holder);
  }
}
