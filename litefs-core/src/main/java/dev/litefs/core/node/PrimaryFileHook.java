package dev.litefs.core.node;

/**
 * Makes {@code .primary} appear and disappear in the mount. The kernel caches a failed lookup of it for an
 * hour, so the mount cannot just start answering: the engine creates and removes it through the mount (ADR
 * 0002, rule 5). Called from the lease loop's thread.
 */
public interface PrimaryFileHook {
  /** This replica is now following the primary {@code hostname}. */
  void connected(String hostname);

  /** This node no longer follows a primary (it lost it, or became primary). */
  void disconnected();

  /** For a node without a mount. */
  PrimaryFileHook NONE = new PrimaryFileHook() {
    @Override
    public void connected(String hostname) {}

    @Override
    public void disconnected() {}
  };
}
