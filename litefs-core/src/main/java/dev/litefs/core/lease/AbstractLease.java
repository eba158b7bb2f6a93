package dev.litefs.core.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every backend's lease shares: the held / handed-off / closed states, the renewal time from the injected
 * clock, and the handoff hand-over between the node API's thread and the primary loop. Backends supply
 * {@link #extend()} and {@link #release()}.
 */
abstract class AbstractLease implements Lease {
  private enum State { HELD, HANDED_OFF, CLOSED }

  /** One request of a release. */
  @FunctionalInterface
  interface Step {
    void run() throws LeaseException;
  }

  private final String backend;
  private final String key;
  private final String id;
  private final Duration ttl;
  private final Clock clock;
  private final AtomicReference<State> state = new AtomicReference<>(State.HELD);
  // Unbuffered, as LiteFS's handoff channel: a request counts only once the primary loop has taken it.
  private final SynchronousQueue<Long> handoffRequests = new SynchronousQueue<>();
  private volatile Instant renewedAt;

  /**
   * @param requestedAt when the request that created or took over the lease was sent: the lease runs from no
   *     earlier than that on the server
   */
  AbstractLease(String backend, String key, String id, Duration ttl, Clock clock, Instant requestedAt) {
    this.backend = backend;
    this.key = key;
    this.id = id;
    this.ttl = ttl;
    this.clock = clock;
    this.renewedAt = requestedAt;
  }

  /** Extends the lease on the backend by its TTL; throws {@link LeaseExpiredException} if it is gone. */
  abstract void extend() throws LeaseException;

  /** Gives the lease up on the backend, so another node can acquire it at once. */
  abstract void release() throws LeaseException;

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final Instant renewedAt() {
    return renewedAt;
  }

  @Override
  public final Duration ttl() {
    return ttl;
  }

  @Override
  public final void renew() throws LeaseException {
    requireHeld("renew");
    Instant attempt = clock.instant();
    extend();
    // The time the request was sent, not answered: the server's TTL started no earlier than that.
    renewedAt = attempt;
  }

  @Override
  public void handoff(long nodeId, Duration timeout) throws LeaseException {
    requireHeld("hand off");
    try {
      if (!handoffRequests.offer(nodeId, saturatedNanos(timeout), TimeUnit.NANOSECONDS)) {
        throw new LeaseException(backend, key,
            String.format("handoff to node %016X not taken by the primary loop within %s", nodeId, timeout));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LeaseException(backend, key, String.format("handoff to node %016X interrupted", nodeId), e);
    }
  }

  @Override
  public final OptionalLong pollHandoff(Duration timeout) throws InterruptedException {
    Long nodeId = handoffRequests.poll(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    return nodeId == null ? OptionalLong.empty() : OptionalLong.of(nodeId);
  }

  @Override
  public final void markHandedOff() {
    state.compareAndSet(State.HELD, State.HANDED_OFF);
  }

  @Override
  public final void close() throws LeaseException {
    if (state.compareAndSet(State.HELD, State.CLOSED)) {
      release();
    }
  }

  @Override
  public String toString() {
    return backend + " lease " + id + (key.isEmpty() ? "" : " on key '" + key + "'");
  }

  private void requireHeld(String action) {
    State s = state.get();
    if (s != State.HELD) {
      throw new IllegalStateException("cannot " + action + " " + this + ": it was "
          + (s == State.CLOSED ? "closed" : "handed off"));
    }
  }

  /**
   * Runs both steps of a release even if the first fails (the second still shortens the wait for other nodes),
   * then throws the first failure with any second one suppressed.
   */
  static void releaseInTwoSteps(Step first, Step second) throws LeaseException {
    LeaseException failure = null;
    try {
      first.run();
    } catch (LeaseException e) {
      failure = e;
    }
    try {
      second.run();
    } catch (LeaseException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  // A static lease's TTL (a thousand years) does not fit in a long of nanoseconds.
  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
