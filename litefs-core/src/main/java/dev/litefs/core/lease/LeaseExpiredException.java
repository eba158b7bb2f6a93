package dev.litefs.core.lease;

/**
 * The lease is gone: its TTL ran out without a renewal, it was revoked, or its key now belongs to another
 * lease. The node must stop acting as primary.
 */
public class LeaseExpiredException extends LeaseException {
  private final String leaseId;

  /**
   * @param leaseId the lease that is gone
   * @param why what the backend answered
   */
  public LeaseExpiredException(String backend, String key, String leaseId, String why) {
    super(backend, key, "lease " + leaseId + " has expired: " + why);
    this.leaseId = leaseId;
  }

  /** Returns the ID of the lease that is gone. */
  public String leaseId() {
    return leaseId;
  }
}
