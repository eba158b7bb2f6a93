package dev.litefs.core.lease;

/**
 * A lease operation failed. The message names the backend and the key; {@link #backend()} and {@link #key()}
 * give them to code. Subclasses say what went wrong when the caller has something to decide:
 * {@link PrimaryExistsException}, {@link LeaseExpiredException}, {@link ClusterIdMismatchException},
 * {@link LeaseServerUnreachableException}. Anything else (an HTTP error, a malformed reply, an interrupt) is a
 * plain {@code LeaseException} with its cause.
 */
public class LeaseException extends Exception {
  private final String backend;
  private final String key;

  /**
   * @param backend the leaser's {@link Leaser#type()}
   * @param key the key the lease is held on; empty when the backend has none (static)
   * @param detail what happened, appended to the backend and key
   */
  public LeaseException(String backend, String key, String detail) {
    super(describe(backend, key) + ": " + detail);
    this.backend = backend;
    this.key = key;
  }

  /** Like {@link #LeaseException(String, String, String)}, keeping {@code cause}. */
  public LeaseException(String backend, String key, String detail, Throwable cause) {
    super(describe(backend, key) + ": " + detail, cause);
    this.backend = backend;
    this.key = key;
  }

  /** Returns the backend's type, as {@link Leaser#type()}. */
  public String backend() {
    return backend;
  }

  /** Returns the key the lease is held on; empty for backends without keys. */
  public String key() {
    return key;
  }

  private static String describe(String backend, String key) {
    return key.isEmpty() ? backend + " lease" : backend + " lease on key '" + key + "'";
  }
}
