package dev.litefs.core.fuse;

import java.util.Optional;

/** What the mount needs to know about the node serving it: its role, its primary, its lag. */
public interface NodeView {
  /** Whether clients may write: the node is the primary. */
  boolean isPrimary();

  /**
   * Whether clients may write database {@code db}: on the primary, or on a replica holding the primary's
   * HALT lock for it.
   */
  default boolean canWrite(String db) {
    return isPrimary();
  }

  /** The primary's hostname while this node is a replica connected to it; empty otherwise. */
  Optional<String> primaryHostname();

  /**
   * How far behind the primary this node is, in ms ({@code .lag}): 0 on the primary,
   * {@link Integer#MAX_VALUE} before the first sync.
   */
  long lagMillis();

  /** The primary's clock at the last heartbeat or transaction, ms since the epoch ({@code .lag}'s mtime). */
  long primaryTimestamp();

  /** A node that is always the primary (a single node, or a static lease's candidate). */
  static NodeView alwaysPrimary() {
    return new NodeView() {
      @Override
      public boolean isPrimary() {
        return true;
      }

      @Override
      public Optional<String> primaryHostname() {
        return Optional.empty();
      }

      @Override
      public long lagMillis() {
        return 0;
      }

      @Override
      public long primaryTimestamp() {
        return System.currentTimeMillis();
      }
    };
  }
}
