package dev.litefs.core.lease;

/** A different cluster ID is already stored with the lease: this node belongs to another cluster. */
public class ClusterIdMismatchException extends LeaseException {
  private final String stored;
  private final String requested;

  /**
   * @param key the key that holds the cluster ID
   * @param stored the cluster ID already stored
   * @param requested the cluster ID this node tried to store
   */
  public ClusterIdMismatchException(String backend, String key, String stored, String requested) {
    super(backend, key, "cluster ID is already " + stored + ", cannot set it to " + requested);
    this.stored = stored;
    this.requested = requested;
  }

  /** Returns the cluster ID stored with the lease. */
  public String stored() {
    return stored;
  }

  /** Returns the cluster ID that was refused. */
  public String requested() {
    return requested;
  }
}
