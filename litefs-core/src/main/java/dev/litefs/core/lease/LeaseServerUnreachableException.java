package dev.litefs.core.lease;

/**
 * No lease server could be connected to (connection refused or connect timeout on every endpoint). The
 * request never reached a server, so retrying it is safe.
 */
public class LeaseServerUnreachableException extends LeaseException {
  /** Builds one with the connection failure as its cause. */
  public LeaseServerUnreachableException(String backend, String key, String detail, Throwable cause) {
    super(backend, key, detail, cause);
  }
}
