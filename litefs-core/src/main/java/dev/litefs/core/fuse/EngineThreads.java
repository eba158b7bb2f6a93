package dev.litefs.core.fuse;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel thread ids of the engine's own threads. A FUSE request carries the calling thread's id as its
 * pid, so requests from these threads are the engine acting as a privileged client of its mount (applying
 * a replicated transaction, creating {@code .primary}), not a SQLite client.
 */
public final class EngineThreads {
  private final Set<Integer> tids = ConcurrentHashMap.newKeySet();

  /** Registers the calling thread; call once from each engine thread before it touches the mount. */
  public void registerCurrent() {
    tids.add(Libc.gettid());
  }

  /** Forgets the calling thread. */
  public void unregisterCurrent() {
    tids.remove(Libc.gettid());
  }

  boolean contains(long tid) {
    return tid != 0 && tids.contains((int) tid);
  }
}
