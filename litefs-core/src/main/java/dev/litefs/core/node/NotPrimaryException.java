package dev.litefs.core.node;

/** An operation only the primary can do, asked of a node that does not hold the lease ("lease expired"). */
public class NotPrimaryException extends Exception {
  private static final long serialVersionUID = 1L;

  public NotPrimaryException() {
    super("lease expired");
  }
}
