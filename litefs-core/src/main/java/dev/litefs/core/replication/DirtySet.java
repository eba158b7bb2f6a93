package dev.litefs.core.replication;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Names of databases that changed since a stream last looked, filled by the store's transaction listener and
 * drained by the stream; {@link #wakeUp()} ends a wait early (shutdown, handoff).
 */
final class DirtySet {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Set<String> names = new LinkedHashSet<>();
  private boolean woken;

  void mark(String name) {
    lock.lock();
    try {
      names.add(name);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void wakeUp() {
    lock.lock();
    try {
      woken = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a name is marked, {@link #wakeUp()} is called, or the timeout passes; returns and clears the names. */
  Set<String> await(long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (names.isEmpty() && !woken && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      woken = false;
      Set<String> out = new LinkedHashSet<>(names);
      names.clear();
      return out;
    } finally {
      lock.unlock();
    }
  }
}
